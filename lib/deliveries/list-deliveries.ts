/**
 * The deliveries list: newest first, keyset-paginated on (created_at, id), with the events list's
 * filters (`from`/`to` are on the delivery's creation time; event type and payload search go
 * through its event). Indexes: `deliveries (destination_id, status, created_at DESC)`,
 * `(source_id, status, created_at DESC)` and `(status, created_at DESC)`. A path search
 * (`q=path=value`) finds its page as lib/list-filters/path-search.ts describes: the newest deliveries'
 * events first, then walking on or through the GIN index on `events.payload` and
 * `deliveries (event_id, status)`.
 *
 * A waiting delivery with an ordering key shows `blockedBy`: the oldest unfinished delivery of
 * the same destination and key (the one the worker must finish first), exactly as the claim in
 * lib/worker/claim-due-deliveries.ts decides.
 */
import type postgres from 'postgres';
import { andAll, type Sql, sql as defaultSql } from '@/lib/db/sql';
import { cursorOrThrow, encodeCursor, type Page, withListTimeout } from '@/lib/db/paging';
import { type ListDeliveriesQuery, type ListFilter, parsePayloadSearch, withSearchWindow } from '@/lib/list-filters/list-filter.schema';
import { eventConditions, searchConditions } from '@/lib/list-filters/filter-conditions';
import { hasReportedStatus, heldUntil, reportedStatus } from './delivery-status-sql';
import { pathSearchKeys, type SearchedList } from '@/lib/list-filters/path-search';

type Fragment = postgres.Fragment;

export interface DeliveryListRow {
  id: string;
  status: string;
  attemptCount: number;
  nextAttemptAt: Date;
  lastError: string | null;
  lastStatusCode: number | null;
  orderingKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  replayOfId: string | null;
  replayId: string | null;
  replayedBy: string | null;
  destination: { id: string; name: string };
  /** Set while the destination's open circuit holds this pending delivery: when it probes next (a past time: due now). */
  heldByCircuit: { nextProbeAt: Date } | null;
  source: { id: string; slug: string; name: string };
  event: { id: string; eventType: string | null; receivedAt: Date; size: number };
  /** For a waiting delivery with an ordering key: the delivery that must finish first. */
  blockedBy: string | null;
}

/** Conditions on `d` (deliveries) joined to `e` (its event) for the shared filters. */
export function deliveryConditions(sql: Sql, filter: ListFilter): Fragment[] {
  const conditions: Fragment[] = [];
  if (filter.sourceId) conditions.push(sql`d.source_id = ${filter.sourceId}::uuid`);
  if (filter.destinationId) conditions.push(sql`d.destination_id = ${filter.destinationId}::uuid`);
  if (filter.status) conditions.push(hasReportedStatus(sql, filter.status));
  if (filter.from) conditions.push(sql`d.created_at >= ${filter.from}::timestamptz`);
  if (filter.to) conditions.push(sql`d.created_at < ${filter.to}::timestamptz`);
  conditions.push(...eventConditions(sql, filter));
  return conditions;
}

const afterKey = (sql: Sql, key: { at: Date; id: string }) => sql`(d.created_at, d.id) < (${key.at}::timestamptz, ${key.id}::uuid)`;

/** The deliveries list as a path search walks it. */
const deliveriesList: SearchedList = {
  table: 'deliveries',
  from: (sql) => sql`FROM deliveries d JOIN events e ON e.id = d.event_id`,
  key: (sql) => sql`d.id, d.created_at AS at`,
  order: (sql) => sql`ORDER BY d.created_at DESC, d.id DESC`,
  after: afterKey,
  // `= ANY(ARRAY(…))`: the matching events first (GIN), then their deliveries by
  // `deliveries (event_id, status)`; as a join, Postgres may rather read every delivery.
  indexed: (sql, scope, search) => sql`
    SELECT d.id, d.created_at AS at FROM deliveries d JOIN events e ON e.id = d.event_id
    WHERE d.event_id = ANY(ARRAY(SELECT e.id FROM events e WHERE ${andAll(sql, search)})) AND ${andAll(sql, scope)}`,
};

export async function listDeliveries(
  query: ListDeliveriesQuery,
  options: { sql?: Sql; now?: Date; /** For tests: SEARCH_PROBE_ROWS. */ searchProbeRows?: number } = {},
): Promise<Page<DeliveryListRow>> {
  const sql = options.sql ?? defaultSql();
  const filter = withSearchWindow(query, options.now);
  const after = cursorOrThrow(query.cursor);
  const limit = query.limit;
  const pathSearch = !!filter.q && parsePayloadSearch(filter.q).kind === 'path';

  const rows = await withListTimeout(sql, async (tx) => {
    let where: Fragment;
    if (pathSearch) {
      const scope = deliveryConditions(tx, { ...filter, q: undefined });
      const keys = await pathSearchKeys(tx, deliveriesList, { scope, cursor: after, search: searchConditions(tx, filter) }, limit + 1, options.searchProbeRows);
      where = tx`d.id = ANY(${keys.map((key) => key.id)}::uuid[])`;
    } else {
      const conditions = deliveryConditions(tx, filter);
      if (after) conditions.push(afterKey(tx, after));
      where = andAll(tx, conditions);
    }
    return tx<
      {
        id: string;
        status: string;
        attempt_count: number;
        next_attempt_at: Date;
        last_error: string | null;
        last_status_code: number | null;
        ordering_key: string | null;
        created_at: Date;
        updated_at: Date;
        completed_at: Date | null;
        replay_of_id: string | null;
        replay_id: string | null;
        replayed_by: string | null;
        destination_id: string;
        destination_name: string;
        source_id: string;
        source_slug: string;
        source_name: string;
        event_id: string;
        event_type: string | null;
        received_at: Date;
        size: number;
        blocked_by: string | null;
        held_until: Date | null;
      }[]
    >`
      SELECT page.*, t.name AS destination_name, s.slug AS source_slug, s.name AS source_name, head.id AS blocked_by
      FROM (
        SELECT d.id, ${reportedStatus(tx)} AS status, d.attempt_count, d.next_attempt_at, d.last_error, d.last_status_code, d.ordering_key, d.created_at,
               d.updated_at, d.completed_at, d.replay_of_id, d.replay_id, d.replayed_by, d.destination_id, d.source_id, d.event_id,
               e.event_type, e.received_at, e.size, ${heldUntil(tx)} AS held_until
        FROM deliveries d JOIN events e ON e.id = d.event_id
        WHERE ${where}
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT ${limit + 1}
      ) page
      JOIN destinations t ON t.id = page.destination_id
      JOIN sources s ON s.id = page.source_id
      LEFT JOIN LATERAL (
        SELECT o.id FROM deliveries o
        WHERE page.ordering_key IS NOT NULL AND page.status IN ('pending', 'paused')
          AND o.destination_id = page.destination_id AND o.ordering_key = page.ordering_key
          AND o.status IN ('pending', 'in_flight', 'paused')
          AND (o.created_at, o.id) < (page.created_at, page.id)
        ORDER BY o.created_at, o.id
        LIMIT 1
      ) head ON true
      ORDER BY page.created_at DESC, page.id DESC`;
  });

  const more = rows.length > limit;
  const data: DeliveryListRow[] = rows.slice(0, limit).map((row) => ({
    id: row.id,
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastStatusCode: row.last_status_code,
    orderingKey: row.ordering_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    replayOfId: row.replay_of_id,
    replayId: row.replay_id,
    replayedBy: row.replayed_by,
    destination: { id: row.destination_id, name: row.destination_name },
    heldByCircuit: row.held_until ? { nextProbeAt: row.held_until } : null,
    source: { id: row.source_id, slug: row.source_slug, name: row.source_name },
    event: { id: row.event_id, eventType: row.event_type, receivedAt: row.received_at, size: row.size },
    blockedBy: row.blocked_by,
  }));
  const last = data[data.length - 1];
  return {
    data,
    nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null,
    ...(filter.searchWindow ? { searchWindow: filter.searchWindow } : {}),
  };
}
