/** Which deliveries a bulk replay re-sends: its filter, fixed at its creation time. */
import { isAwaitingReplay } from '@/lib/deliveries/awaiting-replay';
import { deliveryConditions } from '@/lib/deliveries/list-deliveries';
import { andAll, type Sql, sql as defaultSql } from '@/lib/db/sql';
import { withSearchWindow } from '@/lib/list-filters/list-filter.schema';
import { type ReplayFilter, replayFilterSchema } from './replay.schema';

/**
 * The deliveries a bulk replay matches, as of `cutoff` (the replay's creation time):
 *  - created before the cutoff, so the replay's own new rows (and any later ones) never match;
 *  - finished (succeeded, failed, cancelled), or the one status the filter names;
 *  - the latest delivery of their event to their destination as of the cutoff: a failed delivery
 *    that was already replayed is represented by its replay, so replaying "everything failed"
 *    twice does not send an event that finally got through again. With `status: failed`, exactly
 *    the failed queue's set (isAwaitingReplay: a later cancelled replay does not represent it);
 *  - and the filter's fields (deliveries list semantics).
 * Ordered oldest first: (created_at, id), which is also the cursor.
 */
export function matchConditions(sql: Sql, filter: ReplayFilter, cutoff: Date | null) {
  const before = cutoff ? sql`${cutoff}::timestamptz` : sql`now()`;
  const conditions = deliveryConditions(sql, { ...filter, status: undefined });
  conditions.push(sql`d.created_at < ${before}`);
  // "Failed" is the failed queue's own set (awaiting-replay.ts), so its count is the queue's.
  if (filter.status === 'failed') {
    conditions.push(isAwaitingReplay(sql, 'd', { before }));
    return conditions;
  }
  conditions.push(filter.status ? sql`d.status = ${filter.status}::"DeliveryStatus"` : sql`d.status IN ('succeeded', 'failed', 'cancelled')`);
  conditions.push(sql`NOT EXISTS (
    SELECT 1 FROM deliveries n
    WHERE n.event_id = d.event_id AND n.destination_id = d.destination_id AND n.created_at < ${before}
      AND (n.created_at, n.id) > (d.created_at, d.id))`);
  return conditions;
}

/** The filter as stored: dates as ISO text, a text search's window made explicit (fixed at start). */
export function storableFilter(filter: ReplayFilter, now: Date): Record<string, unknown> {
  const resolved = withSearchWindow(filter, now);
  const { searchWindow: _window, ...rest } = resolved;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** How many deliveries a bulk replay with this filter would re-send now (the dry run). */
export async function countReplayMatches(filter: ReplayFilter, options: { sql?: Sql; now?: Date } = {}): Promise<number> {
  const sql = options.sql ?? defaultSql();
  const resolved = replayFilterSchema.parse(storableFilter(filter, options.now ?? new Date()));
  const [row] = await sql<{ count: number }[]>`
    SELECT count(*)::int AS count FROM deliveries d JOIN events e ON e.id = d.event_id
    WHERE ${andAll(sql, matchConditions(sql, resolved, options.now ?? null))}`;
  return row?.count ?? 0;
}
