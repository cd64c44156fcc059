/**
 * The alerts list: one status (or all), newest first, keyset-paginated on (created_at, id) and
 * served by `alerts (status, created_at DESC)`. The keyset condition repeats `created_at <= at`
 * so that the index range starts at the cursor instead of filtering from the top.
 */
import { db, type Prisma } from '@/lib/db/prisma';
import { decodeCursor, encodeCursor } from '@/lib/db/paging';
import { AppError } from '@/lib/http/errors';
import type { AlertStatusName, ListAlertsQuery } from './alerts.schema';
import { ALERT_STATUSES } from './alerts.schema';

export const ALERT_SELECT = {
  id: true,
  kind: true,
  status: true,
  destinationId: true,
  deliveryId: true,
  message: true,
  details: true,
  createdAt: true,
  acknowledgedAt: true,
  acknowledgedBy: true,
  resolvedAt: true,
  resolvedBy: true,
  destination: { select: { id: true, name: true } },
  source: { select: { id: true, name: true, slug: true } },
  channel: { select: { id: true, name: true } },
} as const;

type AlertRow = Prisma.AlertGetPayload<{ select: typeof ALERT_SELECT }>;

export interface AlertView {
  id: string;
  kind: AlertRow['kind'];
  status: AlertStatusName;
  /** What the alert is about: one of these three is set. */
  destination: { id: string; name: string } | null;
  source: { id: string; name: string; slug: string } | null;
  channel: { id: string; name: string } | null;
  deliveryId: string | null;
  message: string;
  /** How many times it happened while open (details.count). */
  count: number;
  createdAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  /** Why the system resolved it (details.resolution), when it resolved itself (resolvedBy `system`). */
  resolution: string | null;
}

export function toAlertView(row: AlertRow): AlertView {
  const details = (row.details ?? {}) as { count?: unknown; resolution?: unknown };
  const count = typeof details.count === 'number' && Number.isFinite(details.count) ? details.count : 1;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    destination: row.destination ? { id: row.destination.id, name: row.destination.name } : null,
    source: row.source ? { id: row.source.id, name: row.source.name, slug: row.source.slug } : null,
    channel: row.channel ? { id: row.channel.id, name: row.channel.name } : null,
    deliveryId: row.deliveryId,
    message: row.message,
    count,
    createdAt: row.createdAt,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedBy,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
    resolution: typeof details.resolution === 'string' ? details.resolution : null,
  };
}

export async function listAlerts(query: ListAlertsQuery): Promise<{ data: AlertView[]; nextCursor: string | null }> {
  let after: { at: Date; id: string } | null = null;
  if (query.cursor) {
    after = decodeCursor(query.cursor);
    if (!after) throw new AppError('invalid_input', 'cursor: not a cursor from a previous page', [{ path: 'cursor', message: 'invalid' }]);
  }
  const where: Prisma.AlertWhereInput = {
    ...(query.status === 'all' ? {} : { status: query.status }),
    ...(query.destinationId ? { destinationId: query.destinationId } : {}),
    ...(after ? { createdAt: { lte: after.at }, OR: [{ createdAt: { lt: after.at } }, { id: { lt: after.id } }] } : {}),
  };
  const rows = await db().alert.findMany({
    where,
    select: ALERT_SELECT,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const more = rows.length > query.limit;
  const data = rows.slice(0, query.limit).map(toAlertView);
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** How many alerts have each status (for the tabs); an index-only count per status. */
export async function countAlertsByStatus(): Promise<Record<AlertStatusName, number>> {
  const groups = await db().alert.groupBy({ by: ['status'], _count: { _all: true } });
  const counts = Object.fromEntries(ALERT_STATUSES.map((status) => [status, 0])) as Record<AlertStatusName, number>;
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}
