/**
 * An alert's notifications as its page and `GET /api/v1/alerts/{id}/notifications` show them:
 * per channel, raised and resolved, with status, attempts, last error and when it was sent.
 * Every role may read it: it names the channel and its type, never its URL or recipients.
 */
import { isUuid } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { notFound } from '@/lib/http/errors';
import type { ChannelType } from './channels.schema';

export interface NotificationHistoryItem {
  id: string;
  channel: { id: string; name: string; type: ChannelType };
  event: 'raised' | 'resolved' | 'test';
  status: 'pending' | 'sent' | 'failed' | 'suppressed';
  attempts: number;
  lastError: string | null;
  /** While pending: when the next try is due. */
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  /** How many notifications the message that carried it held: 1 alone, more in a digest. */
  digestSize: number | null;
  createdAt: Date;
}

export async function listAlertNotifications(alertId: string): Promise<NotificationHistoryItem[]> {
  if (!isUuid(alertId)) throw notFound('Alert');
  const exists = await db().alert.findUnique({ where: { id: alertId }, select: { id: true } });
  if (!exists) throw notFound('Alert');
  const rows = await db().alertNotification.findMany({
    where: { alertId },
    select: {
      id: true,
      event: true,
      status: true,
      attempts: true,
      lastError: true,
      nextAttemptAt: true,
      sentAt: true,
      digestSize: true,
      createdAt: true,
      channel: { select: { id: true, name: true, type: true } },
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((row) => ({ ...row, nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null }));
}
