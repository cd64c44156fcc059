/** One alert, for its page and `GET /api/v1/alerts/{id}`; a 404 for an unknown id or one that is not a UUID. */
import { isUuid } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { notFound } from '@/lib/http/errors';
import { ALERT_SELECT, type AlertView, toAlertView } from './list-alerts';

export async function getAlertOrThrow(id: string): Promise<AlertView> {
  const row = isUuid(id) ? await db().alert.findUnique({ where: { id }, select: ALERT_SELECT }) : null;
  if (!row) throw notFound('Alert');
  return toAlertView(row);
}
