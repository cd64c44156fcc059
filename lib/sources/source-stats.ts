/**
 * What a source has been receiving, for the sources pages: 24-hour counters read from
 * `source_minute_stats` (never a scan of events), and the source's most recent requests, accepted
 * and rejected, merged by time.
 */
import { db } from '@/lib/db/prisma';
import { derivedStatus } from '@/lib/deliveries/lifecycle/state-machine';

export const STATS_WINDOW_HOURS = 24;
const HOUR_MS = 3_600_000;

export interface SourceStats {
  /** Every request that reached the source: accepted + rejected + duplicates. */
  received: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  /** rejected / received, or null when nothing arrived. */
  rejectionRate: number | null;
  /** Requests per hour, oldest first: `STATS_WINDOW_HOURS` buckets ending now. */
  hourly: number[];
}

export const emptySourceStats = (): SourceStats => ({
  received: 0,
  accepted: 0,
  rejected: 0,
  duplicates: 0,
  rejectionRate: null,
  hourly: new Array<number>(STATS_WINDOW_HOURS).fill(0),
});

interface StatsRow {
  source_id: string;
  bucket: number;
  received: number;
  accepted: number;
  rejected: number;
  duplicates: number;
}

/**
 * Counters of the last 24 hours per source, with an hourly series for a sparkline: one grouped
 * query over the minute table (its `(minute)` index, or the primary key with `sourceIds`). Sources
 * without traffic are absent from the map; use `emptySourceStats()` for them.
 */
export async function loadSourceStats(options: { sourceIds?: string[]; now?: Date } = {}): Promise<Map<string, SourceStats>> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - STATS_WINDOW_HOURS * HOUR_MS);
  const ids = options.sourceIds ?? null;
  if (ids && ids.length === 0) return new Map();
  // Bucket 0 is the oldest hour; a minute exactly 24 h after `since` (the current one) joins the last bucket.
  const rows = await db().$queryRaw<StatsRow[]>`
    SELECT source_id::text AS source_id,
           LEAST(${STATS_WINDOW_HOURS - 1}::int, floor(extract(epoch FROM (minute - ${since}::timestamptz)) / 3600)::int) AS bucket,
           sum(received)::float8 AS received, sum(accepted)::float8 AS accepted,
           sum(rejected)::float8 AS rejected, sum(duplicates)::float8 AS duplicates
      FROM source_minute_stats
     WHERE minute >= date_trunc('minute', ${since}::timestamptz) AND minute <= ${now}::timestamptz
       AND (${ids}::uuid[] IS NULL OR source_id = ANY(${ids}::uuid[]))
     GROUP BY 1, 2`;
  const stats = new Map<string, SourceStats>();
  for (const row of rows) {
    const entry = stats.get(row.source_id) ?? emptySourceStats();
    entry.received += row.received;
    entry.accepted += row.accepted;
    entry.rejected += row.rejected;
    entry.duplicates += row.duplicates;
    const bucket = Math.max(0, row.bucket);
    entry.hourly[bucket] = (entry.hourly[bucket] ?? 0) + row.received;
    stats.set(row.source_id, entry);
  }
  for (const entry of stats.values()) entry.rejectionRate = entry.received > 0 ? entry.rejected / entry.received : null;
  return stats;
}

export interface AcceptedRequest {
  kind: 'accepted';
  id: string;
  receivedAt: Date;
  eventType: string | null;
  verification: 'verified' | 'unverified';
  matchedSecretId: string | null;
  size: number;
  sourceIp: string | null;
  /** How this event's deliveries stand, by status. */
  deliveries: Partial<Record<'pending' | 'in_flight' | 'succeeded' | 'failed' | 'paused' | 'cancelled', number>>;
}

export interface RejectedRequestView {
  kind: 'rejected';
  id: string;
  receivedAt: Date;
  reason: string;
  detail: string | null;
  status: number;
  size: number;
  sourceIp: string | null;
}

export type RecentRequest = AcceptedRequest | RejectedRequestView;

export const RECENT_REQUESTS_LIMIT = 50;

/**
 * The source's last `limit` requests, newest first: accepted events and rejected requests merged
 * by time. Both reads use their `(source_id, received_at DESC)` index and stop at `limit` rows.
 */
export async function loadRecentRequests(sourceId: string, limit = RECENT_REQUESTS_LIMIT): Promise<RecentRequest[]> {
  const [events, rejected] = await Promise.all([
    db().event.findMany({
      where: { sourceId },
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: { id: true, receivedAt: true, eventType: true, verification: true, matchedSecretId: true, size: true, sourceIp: true },
    }),
    db().rejectedRequest.findMany({
      where: { sourceId },
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: { id: true, receivedAt: true, reason: true, detail: true, status: true, size: true, sourceIp: true },
    }),
  ]);
  const merged: RecentRequest[] = [
    ...events.map((event) => ({ kind: 'accepted' as const, ...event, deliveries: {} })),
    ...rejected.map((request) => ({ kind: 'rejected' as const, ...request })),
  ]
    .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || (a.id < b.id ? 1 : -1))
    .slice(0, limit);

  const eventIds = merged.filter((request) => request.kind === 'accepted').map((request) => request.id);
  if (eventIds.length > 0) {
    const [counts, paused] = await Promise.all([
      db().delivery.groupBy({ by: ['eventId', 'destinationId', 'status'], where: { eventId: { in: eventIds } }, _count: { _all: true } }),
      db().destination.findMany({ where: { status: 'paused' }, select: { id: true } }),
    ]);
    const pausedIds = new Set(paused.map((destination) => destination.id));
    const byEvent = new Map(merged.filter((r): r is AcceptedRequest => r.kind === 'accepted').map((r) => [r.id, r]));
    for (const count of counts) {
      const event = byEvent.get(count.eventId);
      const status = derivedStatus(count.status, pausedIds.has(count.destinationId) ? 'paused' : 'active');
      if (event) event.deliveries[status] = (event.deliveries[status] ?? 0) + count._count._all;
    }
  }
  return merged;
}
