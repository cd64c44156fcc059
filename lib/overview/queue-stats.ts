/**
 * "Right now" numbers of the overview: how many deliveries wait (pending or in flight), how old
 * the oldest one is, and how many failed for good. One statement of index-only probes, none of which
 * touches events:
 *  - counts walk `deliveries (status, created_at DESC)` (or the destination's / source's
 *    `(…, status, …)` index) as index-only scans and stop at QUEUE_COUNT_CAP rows, so a backlog of millions costs what
 *    a backlog of 100,000 costs and the page says "100,000+";
 *  - the oldest is `min(created_at)` per status, which Postgres answers by reading one end of
 *    `deliveries (status, created_at DESC)` (or `(destination_id | source_id, status, created_at DESC)`).
 */
import { type Sql, sql as defaultSql } from '@/lib/db/sql';
import { hasReportedStatus } from '@/lib/deliveries/delivery-status-sql';
import { isAwaitingReplay } from '@/lib/deliveries/awaiting-replay';

export const QUEUE_COUNT_CAP = 100_000;

export interface QueueStats {
  /** Pending and in-flight deliveries, counted up to QUEUE_COUNT_CAP. */
  depth: number;
  /** Failed deliveries waiting for someone to replay them (isAwaitingReplay: the failed queue's count). */
  failed: number;
  /** True when a count reached QUEUE_COUNT_CAP: show it as "100,000+". */
  depthCapped: boolean;
  failedCapped: boolean;
  /** Creation time of the oldest pending or in-flight delivery; null when nothing waits. */
  oldestPendingAt: string | null;
  oldestPendingAgeSeconds: number | null;
}

export async function loadQueueStats(filter: { sourceId?: string; destinationId?: string } = {}, options: { sql?: Sql; now?: Date } = {}): Promise<QueueStats> {
  const sql = options.sql ?? defaultSql();
  const now = options.now ?? new Date();
  const scope = filter.destinationId
    ? sql`AND destination_id = ${filter.destinationId}::uuid`
    : filter.sourceId
      ? sql`AND source_id = ${filter.sourceId}::uuid`
      : sql``;
  const failedScope = filter.destinationId
    ? sql`AND d.destination_id = ${filter.destinationId}::uuid`
    : filter.sourceId
      ? sql`AND d.source_id = ${filter.sourceId}::uuid`
      : sql``;
  const cap = QUEUE_COUNT_CAP + 1;
  // Held deliveries (pending, to a paused destination) are not waiting on the workers.
  const pending = hasReportedStatus(sql, 'pending', 'deliveries');
  const [row] = await sql<{ depth: number; failed: number; oldest: Date | null }[]>`
    SELECT
      (SELECT count(*)::int FROM (SELECT 1 FROM deliveries WHERE (status = 'in_flight' OR ${pending}) ${scope} LIMIT ${cap}) q) AS depth,
      (SELECT count(*)::int FROM (SELECT 1 FROM deliveries d WHERE ${isAwaitingReplay(sql)} ${failedScope} LIMIT ${cap}) q) AS failed,
      LEAST(
        (SELECT min(created_at) FROM deliveries WHERE ${pending} ${scope}),
        (SELECT min(created_at) FROM deliveries WHERE status = 'in_flight' ${scope})
      ) AS oldest`;
  const depth = row?.depth ?? 0;
  const failed = row?.failed ?? 0;
  const oldest = row?.oldest ?? null;
  return {
    depth: Math.min(depth, QUEUE_COUNT_CAP),
    failed: Math.min(failed, QUEUE_COUNT_CAP),
    depthCapped: depth > QUEUE_COUNT_CAP,
    failedCapped: failed > QUEUE_COUNT_CAP,
    oldestPendingAt: oldest ? oldest.toISOString() : null,
    oldestPendingAgeSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : null,
  };
}
