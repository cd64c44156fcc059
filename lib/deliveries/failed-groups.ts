/**
 * The support staff's work queue: deliveries whose retry schedule ran out (`failed`), grouped by
 * destination and by how they failed, so that one broken receiver reads as one line with a
 * count rather than as a thousand rows.
 *
 * What is in the queue — the same set a bulk replay with `status: failed` matches, so the count
 * shown is the count a replay re-sends (lib/replay/bulk-replay-match.ts, `matchConditions`):
 *  - failed and waiting for a replay (`isAwaitingReplay`, awaiting-replay.ts, the one definition
 *    the overview and the destinations pages count too): once a failed delivery has been
 *    replayed (a newer delivery exists that was not cancelled), the newer one represents it, so
 *    a replayed failure leaves the queue, and comes back as the replay if that fails too. A
 *    retried delivery leaves it by changing status;
 *  - the filters: destination, source, and `from`/`to` on the delivery's creation time.
 *
 * How a delivery failed is read from `last_error` ("kind: message", written by
 * lib/worker/record-results.ts) and `last_status_code`: the group key is the error kind plus
 * the status code for HTTP failures, or the first MESSAGE_PREFIX_LENGTH characters of the message
 * for the rest (a refused connection, a timeout, a TLS error each read differently).
 *
 * Indexes: `deliveries (status, created_at DESC)` drives the scan; with a destination or a source,
 * `(destination_id, status, created_at DESC)` / `(source_id, status, created_at DESC)`. The
 * "latest" check is a probe of `deliveries (event_id)` per failed row. One grouped statement, under
 * the lists' statement timeout.
 */
import type postgres from 'postgres';
import { andAll, type Sql, sql as defaultSql } from '@/lib/db/sql';
import { cursorOrThrow, encodeCursor, type Page, withListTimeout } from '@/lib/db/paging';
import { isAwaitingReplay } from './awaiting-replay';
import { type FailedFilter, type FailedGroupKey, GROUP_PAGE_SIZE, MAX_GROUPS, MESSAGE_PREFIX_LENGTH } from './failed.schema';

type Fragment = postgres.Fragment;

export interface FailedGroup {
  key: FailedGroupKey;
  destination: { id: string; name: string; status: string };
  count: number;
  /** Deliveries of the group come from this many sources. */
  sourceCount: number;
  /** When the newest and the oldest of them failed (their schedule ran out). */
  latestAt: Date;
  firstAt: Date;
  /** One full error message of the group, as stored. */
  sampleError: string | null;
}

export interface FailedGroups {
  groups: FailedGroup[];
  /** Failed deliveries in the queue, across every group (also those past MAX_GROUPS). */
  total: number;
  groupCount: number;
  destinationCount: number;
}

export interface FailedDeliveryRow {
  id: string;
  eventId: string;
  /** The event's dedup key (the provider's event id), shown as its short id. */
  eventDedupKey: string | null;
  eventType: string | null;
  receivedAt: Date;
  size: number;
  source: { id: string; name: string };
  createdAt: Date;
  failedAt: Date;
  attemptCount: number;
  lastError: string | null;
  lastStatusCode: number | null;
  /** Set when this delivery is itself a replay that failed again. */
  replayOfId: string | null;
}

/** The group key's parts, as SQL over `d` (deliveries). Groups and their rows use the very same expressions. */
function kindOf(sql: Sql): Fragment {
  return sql`COALESCE(NULLIF(split_part(d.last_error, ':', 1), ''), 'unknown')`;
}

function prefixOf(sql: Sql): Fragment {
  return sql`CASE WHEN d.last_status_code IS NULL
    THEN NULLIF(left(btrim(substr(d.last_error, strpos(d.last_error, ':') + 1)), ${MESSAGE_PREFIX_LENGTH}::int), '') END`;
}

/** Failed and waiting for a replay (awaiting-replay.ts), and matching the filter. */
function queueConditions(sql: Sql, filter: FailedFilter): Fragment[] {
  const conditions: Fragment[] = [isAwaitingReplay(sql)];
  if (filter.destinationId) conditions.push(sql`d.destination_id = ${filter.destinationId}::uuid`);
  if (filter.sourceId) conditions.push(sql`d.source_id = ${filter.sourceId}::uuid`);
  if (filter.from) conditions.push(sql`d.created_at >= ${filter.from}::timestamptz`);
  if (filter.to) conditions.push(sql`d.created_at < ${filter.to}::timestamptz`);
  return conditions;
}

export async function listFailedGroups(filter: FailedFilter, options: { sql?: Sql; limit?: number } = {}): Promise<FailedGroups> {
  const sql = options.sql ?? defaultSql();
  const limit = options.limit ?? MAX_GROUPS;
  const rows = await withListTimeout(
    sql,
    (tx) =>
      tx<
        {
          destination_id: string;
          destination_name: string;
          destination_status: string;
          error_kind: string;
          status_code: number | null;
          message_prefix: string | null;
          n: number;
          source_count: number;
          latest_at: Date;
          first_at: Date;
          sample_error: string | null;
          total: number;
          group_count: number;
          destination_count: number;
        }[]
      >`
      SELECT g.*, t.name AS destination_name, t.status::text AS destination_status,
             (sum(g.n) OVER ())::int AS total, (count(*) OVER ())::int AS group_count,
             (count(*) FILTER (WHERE g.first_of_destination) OVER ())::int AS destination_count
      FROM (
        SELECT grouped.*, row_number() OVER (PARTITION BY grouped.destination_id ORDER BY grouped.error_kind) = 1 AS first_of_destination
        FROM (
          SELECT d.destination_id, ${kindOf(tx)} AS error_kind, d.last_status_code AS status_code, ${prefixOf(tx)} AS message_prefix,
                 count(*)::int AS n, count(DISTINCT d.source_id)::int AS source_count,
                 max(COALESCE(d.completed_at, d.updated_at)) AS latest_at, min(COALESCE(d.completed_at, d.updated_at)) AS first_at,
                 max(d.last_error) AS sample_error
          FROM deliveries d
          WHERE ${andAll(tx, queueConditions(tx, filter))}
          GROUP BY 1, 2, 3, 4
        ) grouped
      ) g
      JOIN destinations t ON t.id = g.destination_id
      ORDER BY g.n DESC, g.latest_at DESC, g.destination_id, g.error_kind, g.status_code NULLS LAST, g.message_prefix NULLS LAST
      LIMIT ${limit}`,
  );
  const first = rows[0];
  return {
    groups: rows.map((row) => ({
      key: { destinationId: row.destination_id, errorKind: row.error_kind, statusCode: row.status_code, messagePrefix: row.message_prefix },
      destination: { id: row.destination_id, name: row.destination_name, status: row.destination_status },
      count: row.n,
      sourceCount: row.source_count,
      latestAt: row.latest_at,
      firstAt: row.first_at,
      sampleError: row.sample_error,
    })),
    total: first?.total ?? 0,
    groupCount: first?.group_count ?? 0,
    destinationCount: first?.destination_count ?? 0,
  };
}

/** The deliveries of one group, newest first, keyset-paginated on (created_at, id). */
export async function listFailedGroupDeliveries(
  key: FailedGroupKey,
  filter: FailedFilter,
  options: { cursor?: string; limit?: number; sql?: Sql } = {},
): Promise<Page<FailedDeliveryRow>> {
  const sql = options.sql ?? defaultSql();
  const limit = options.limit ?? GROUP_PAGE_SIZE;
  const after = cursorOrThrow(options.cursor);
  // The group's destination wins over a different one in the filter: the group was found under it.
  const rows = await withListTimeout(sql, (tx) => {
    const conditions = queueConditions(tx, { ...filter, destinationId: key.destinationId });
    conditions.push(tx`${kindOf(tx)} = ${key.errorKind}`);
    conditions.push(tx`d.last_status_code IS NOT DISTINCT FROM ${key.statusCode}::int`);
    conditions.push(tx`${prefixOf(tx)} IS NOT DISTINCT FROM ${key.messagePrefix}::text`);
    if (after) conditions.push(tx`(d.created_at, d.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
    return tx<
      {
        id: string;
        event_id: string;
        source_id: string;
        created_at: Date;
        failed_at: Date;
        attempt_count: number;
        last_error: string | null;
        last_status_code: number | null;
        replay_of_id: string | null;
        event_type: string | null;
        event_dedup_key: string | null;
        received_at: Date;
        size: number;
        source_name: string;
      }[]
    >`
      SELECT page.*, e.event_type, e.dedup_key AS event_dedup_key, e.received_at, e.size, s.name AS source_name
      FROM (
        SELECT d.id, d.event_id, d.source_id, d.created_at, COALESCE(d.completed_at, d.updated_at) AS failed_at, d.attempt_count,
               d.last_error, d.last_status_code, d.replay_of_id
        FROM deliveries d
        WHERE ${andAll(tx, conditions)}
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT ${limit + 1}
      ) page
      JOIN events e ON e.id = page.event_id
      JOIN sources s ON s.id = page.source_id
      ORDER BY page.created_at DESC, page.id DESC`;
  });
  const more = rows.length > limit;
  const data = rows.slice(0, limit).map((row) => ({
    id: row.id,
    eventId: row.event_id,
    eventDedupKey: row.event_dedup_key,
    eventType: row.event_type,
    receivedAt: row.received_at,
    size: row.size,
    source: { id: row.source_id, name: row.source_name },
    createdAt: row.created_at,
    failedAt: row.failed_at,
    attemptCount: row.attempt_count,
    lastError: row.last_error,
    lastStatusCode: row.last_status_code,
    replayOfId: row.replay_of_id,
  }));
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
}
