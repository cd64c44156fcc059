/**
 * "Failed, waiting for a replay": the one definition, used by every count of it (the overview,
 * the destinations list and page, the failed queue, a bulk replay of `status: failed`, and the
 * resolution of `delivery_exhausted` alerts), so that they all show the same number.
 *
 * A delivery is waiting for a replay when
 *  - it is `failed` (its schedule ran out), and
 *  - no later delivery of the same event to the same destination represents it: one that
 *    succeeded, is still pending (or held) or in flight, or failed too. A later *failed* one
 *    represents it because it is the newer failure of the same (event, destination), so each
 *    pair counts once. A later *cancelled* one does not: a cancelled bulk replay sent nothing,
 *    and the original failure is still waiting.
 *
 * A later delivery of an (event, destination) is always a replay (`replay_of_id` set): a source
 * has one route to a destination, so ingest makes one delivery per pair. The probe therefore
 * reads only the small partial index of replays, and the scan of failed rows the partial index
 * of failed deliveries; both are index-only (migration 20261202061000: at a million events, the
 * counts went from a heap fetch per failed row and per probe to a few milliseconds).
 */
import type postgres from 'postgres';
import type { Sql } from '@/lib/db/sql';

/** Delivery `d` (a table alias) is failed and waiting for a replay. `before` bounds the later deliveries considered (a bulk replay's cutoff). */
export function isAwaitingReplay(sql: Sql, d = 'd', options: { before?: postgres.Fragment } = {}): postgres.Fragment {
  const alias = sql(d);
  const before = options.before ? sql`AND n.created_at < ${options.before}` : sql``;
  return sql`(${alias}.status = 'failed'::"DeliveryStatus" AND NOT EXISTS (
    SELECT 1 FROM deliveries n
    WHERE n.replay_of_id IS NOT NULL AND n.event_id = ${alias}.event_id AND n.destination_id = ${alias}.destination_id
      AND n.status <> 'cancelled'::"DeliveryStatus" AND (n.created_at, n.id) > (${alias}.created_at, ${alias}.id) ${before}))`;
}

/**
 * How many deliveries wait for a replay, per destination (every destination asked for is in the
 * map; all destinations with any when `destinationIds` is absent), each count stopping at `cap`.
 */
export async function countAwaitingReplayByDestination(sql: Sql, options: { destinationIds?: string[] | null; cap: number }): Promise<Map<string, number>> {
  const ids = options.destinationIds ?? null;
  const counts = new Map<string, number>((ids ?? []).map((id) => [id, 0]));
  if (ids && ids.length === 0) return counts;
  const rows = await sql<{ destination_id: string; n: number }[]>`
    SELECT t.id::text AS destination_id,
           (SELECT count(*)::int FROM (SELECT 1 FROM deliveries d WHERE d.destination_id = t.id AND ${isAwaitingReplay(sql)} LIMIT ${options.cap}::int) q) AS n
    FROM destinations t
    WHERE ${ids}::uuid[] IS NULL OR t.id = ANY(${ids}::uuid[])`;
  for (const row of rows) if (row.n > 0 || ids) counts.set(row.destination_id, row.n);
  return counts;
}

/** How many deliveries wait for a replay, overall or for one destination or source, stopping at `cap`. */
export async function countAwaitingReplay(sql: Sql, options: { destinationId?: string; sourceId?: string; cap: number }): Promise<number> {
  const scope = options.destinationId
    ? sql`AND d.destination_id = ${options.destinationId}::uuid`
    : options.sourceId
      ? sql`AND d.source_id = ${options.sourceId}::uuid`
      : sql``;
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM deliveries d WHERE ${isAwaitingReplay(sql)} ${scope} LIMIT ${options.cap}::int) q`;
  return row?.n ?? 0;
}
