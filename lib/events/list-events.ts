/**
 * The events list: newest first, keyset-paginated on (received_at, id) — never OFFSET, so page
 * 1,000 costs what page 1 costs — and served by the indexes in docs/data-model.md:
 *  - no filter, or a time range: `events (received_at DESC, id DESC)`;
 *  - a source: `events (source_id, received_at DESC, id DESC)`; an event type: `events (event_type, …)`;
 *  - `path=value`: the GIN `jsonb_path_ops` index on payload (see "Path searches" below);
 *  - a destination or a delivery status: an EXISTS over deliveries, a probe of
 *    `deliveries (event_id, status)` per event walked; the first page of a status filter is found
 *    from `deliveries (source_id | destination_id, status, created_at DESC)` / `(status, created_at
 *    DESC)` instead (statusFirstPageKeys), so that it does not step over the last day's events
 *    one by one when their deliveries are still retrying.
 * The page's (id, received_at) are found first and its other columns fetched afterwards, for
 * those rows only: the search for them then reads indexes alone (index-only scans), however
 * many rows a filter skips (e.g. `status=failed` skips the last day, whose failures still retry).
 * A free-text search is a bounded scan of bodies (see events.schema.ts).
 * A path search's page is found as lib/list-filters/path-search.ts describes.
 */
import type postgres from 'postgres';
import { cursorOrThrow, encodeCursor, type Page, withListTimeout } from '@/lib/db/paging';
import { andAll, type Sql, sql as defaultSql } from '@/lib/db/sql';
import { hasReportedStatus, reportedStatus } from '@/lib/deliveries/delivery-status-sql';
import { type ListEventsQuery, type ListFilter, parsePayloadSearch, withSearchWindow } from '@/lib/list-filters/list-filter.schema';
import { type ListKey, pathSearchKeys, type SearchedList } from '@/lib/list-filters/path-search';
import { eventTypeConditions, searchConditions } from '@/lib/list-filters/filter-conditions';

type Fragment = postgres.Fragment;

/** The first page of a status filter reads at most this many deliveries from the deliveries side. */
const STATUS_PAGE_MAX_DELIVERIES = 10_000;
export interface EventListRow {
  id: string;
  source: { id: string; slug: string; name: string };
  eventType: string | null;
  /** The provider's event id when the source has a dedup key: what lists show as the short id. */
  dedupKey: string | null;
  receivedAt: Date;
  size: number;
  contentType: string | null;
  verification: 'verified' | 'unverified';
  /** Every delivery of the event (replays included), counted by status. */
  deliveries: { total: number; byStatus: Partial<Record<string, number>> };
  /** The latest delivery to each destination: what "did it get there?" is about. */
  destinations: { id: string; name: string; status: string; deliveryId: string }[];
}

type PageRow = {
  id: string;
  received_at: Date;
  event_type: string | null;
  dedup_key: string | null;
  size: number;
  content_type: string | null;
  verification: 'verified' | 'unverified';
  source_id: string;
  source_slug: string;
  source_name: string;
  by_status: Record<string, number> | null;
  latest: { id: string; name: string; status: string; deliveryId: string }[] | null;
};

const ORDER = (sql: Sql) => sql`ORDER BY e.received_at DESC, e.id DESC`;
const after = (sql: Sql, key: { at: Date; id: string }) => sql`(e.received_at, e.id) < (${key.at}::timestamptz, ${key.id}::uuid)`;

/** The events list as a path search walks it. */
const eventsList: SearchedList = {
  table: 'events',
  from: (sql) => sql`FROM events e`,
  key: (sql) => sql`e.id, e.received_at AS at`,
  order: ORDER,
  after,
  indexed: (sql, scope, search) => sql`SELECT e.id, e.received_at AS at FROM events e WHERE ${andAll(sql, [...scope, ...search])}`,
};

/** Keys found by an earlier statement, as rows for the page's statement. */
const keyRows = (tx: Sql, keys: ListKey[]) =>
  tx`SELECT * FROM unnest(${keys.map((key) => key.id)}::uuid[], ${keys.map((key) => key.at.toISOString())}::timestamptz[]) AS k(id, received_at)`;

/**
 * The first page of a delivery-status filter, found from the deliveries side. Walking the
 * newest events and probing each one's deliveries must step over every event whose deliveries
 * are not in that status yet — e.g. for `failed`, the whole last day, whose failures are still
 * retrying — while `deliveries (…, status, created_at DESC)` lists the ones that are. A delivery
 * is never created before its event arrived (ingest writes it with the event's arrival time,
 * replays later), so: the newest deliveries in that status name events; the `limit`-th newest of
 * those arrived at some T; every event of the page arrived at T or later, so it has such a
 * delivery created at T or later, and those few deliveries give the page. Null when the newest
 * deliveries name fewer than `limit` events (walk instead). Later pages walk on from the cursor.
 */
async function statusFirstPageKeys(tx: Sql, filter: { own: Fragment[]; delivery: Fragment[] }, limit: number): Promise<ListKey[] | null> {
  // `id = ANY(ARRAY(subquery))`: the deliveries are read first (by their index), then their
  // events by primary key; as a join, Postgres may rather walk the events of the last day.
  const named = await tx<ListKey[]>`
    SELECT e.id, e.received_at AS at FROM events e
    WHERE e.id = ANY(ARRAY(SELECT d.event_id FROM deliveries d WHERE ${andAll(tx, filter.delivery)} ORDER BY d.created_at DESC LIMIT ${4 * limit}))
      AND ${andAll(tx, filter.own)}
    ${ORDER(tx)} LIMIT ${limit}`;
  if (named.length < limit) return null;
  const since = named[limit - 1]!.at;
  // Normally about `limit` deliveries; many more only after a big replay, and then walk instead.
  const keys = await tx<(ListKey & { deliveries: number })[]>`
    WITH recent AS MATERIALIZED (
      SELECT d.event_id FROM deliveries d WHERE ${andAll(tx, [...filter.delivery, tx`d.created_at >= ${since}`])} LIMIT ${STATUS_PAGE_MAX_DELIVERIES + 1}
    )
    SELECT e.id, e.received_at AS at, (SELECT count(*)::int FROM recent) AS deliveries FROM events e
    WHERE e.id = ANY(ARRAY(SELECT event_id FROM recent)) AND ${andAll(tx, [...filter.own, tx`e.received_at >= ${since}`])}
    ${ORDER(tx)} LIMIT ${limit}`;
  if (keys.length === 0 || keys[0]!.deliveries > STATUS_PAGE_MAX_DELIVERIES) return null;
  return keys.map(({ id, at }) => ({ id, at }));
}

/**
 * A filter's conditions on the event `e` itself (`own`), on a delivery `d` of it (`delivery`),
 * and both together (`scope`, the deliveries as an EXISTS); the payload search is separate.
 */
export function filterScope(tx: Sql, filter: ListFilter): { own: Fragment[]; delivery: Fragment[]; scope: Fragment[] } {
  const own: Fragment[] = [];
  if (filter.sourceId) own.push(tx`e.source_id = ${filter.sourceId}::uuid`);
  if (filter.from) own.push(tx`e.received_at >= ${filter.from}::timestamptz`);
  if (filter.to) own.push(tx`e.received_at < ${filter.to}::timestamptz`);
  own.push(...eventTypeConditions(tx, filter));
  const delivery: Fragment[] = [];
  if (filter.destinationId) delivery.push(tx`d.destination_id = ${filter.destinationId}::uuid`);
  if (filter.status) delivery.push(hasReportedStatus(tx, filter.status));
  const scope = delivery.length > 0 ? [...own, tx`EXISTS (SELECT 1 FROM deliveries d WHERE ${andAll(tx, [tx`d.event_id = e.id`, ...delivery])})`] : own;
  return { own, delivery, scope };
}

/** The list's rows for the keys (id, received_at) a statement found, newest first. */
function pageRows(tx: Sql, keys: Fragment): Promise<PageRow[]> {
  return tx<PageRow[]>`
      SELECT e.id, e.received_at, e.event_type, e.dedup_key, e.size, e.content_type, e.verification, e.source_id,
             s.slug AS source_slug, s.name AS source_name, counts.by_status, latest.latest
      FROM (${keys}) page
      JOIN events e ON e.id = page.id
      JOIN sources s ON s.id = e.source_id
      LEFT JOIN LATERAL (
        SELECT jsonb_object_agg(status, n) AS by_status
        FROM (SELECT ${reportedStatus(tx, 'c')} AS status, count(*)::int AS n FROM deliveries c WHERE c.event_id = page.id GROUP BY 1) c
      ) counts ON true
      LEFT JOIN LATERAL (
        SELECT jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name, 'status', l.status, 'deliveryId', l.id) ORDER BY t.name, t.id) AS latest
        FROM (
          SELECT DISTINCT ON (l.destination_id) l.id, l.destination_id, ${reportedStatus(tx, 'l')} AS status FROM deliveries l
          WHERE l.event_id = page.id ORDER BY l.destination_id, l.created_at DESC, l.id DESC
        ) l JOIN destinations t ON t.id = l.destination_id
      ) latest ON true
      ORDER BY page.received_at DESC, page.id DESC`;
}

function toListRow(row: PageRow): EventListRow {
  const byStatus = row.by_status ?? {};
  return {
    id: row.id,
    source: { id: row.source_id, slug: row.source_slug, name: row.source_name },
    eventType: row.event_type,
    dedupKey: row.dedup_key,
    receivedAt: row.received_at,
    size: row.size,
    contentType: row.content_type,
    verification: row.verification,
    deliveries: { total: Object.values(byStatus).reduce((sum, n) => sum + n, 0), byStatus },
    destinations: row.latest ?? [],
  };
}

/** The list items of these events (the events list's shape), in no particular order; missing ids are left out. */
export async function eventListItems(tx: Sql, ids: string[]): Promise<EventListRow[]> {
  if (ids.length === 0) return [];
  const rows = await pageRows(tx, tx`SELECT e.id, e.received_at FROM events e WHERE e.id = ANY(${ids}::uuid[])`);
  return rows.map(toListRow);
}

export async function listEvents(
  query: ListEventsQuery,
  options: { sql?: Sql; now?: Date; /** For tests: SEARCH_PROBE_ROWS. */ searchProbeRows?: number } = {},
): Promise<Page<EventListRow>> {
  const sql = options.sql ?? defaultSql();
  const filter = withSearchWindow(query, options.now);
  const cursor = cursorOrThrow(query.cursor);
  const limit = query.limit;
  const pathSearch = !!filter.q && parsePayloadSearch(filter.q).kind === 'path';

  const rows = await withListTimeout(sql, async (tx) => {
    const { own, delivery, scope } = filterScope(tx, filter);
    const search = searchConditions(tx, filter);

    // The page's keys: one more than asked for, to tell whether there is a next page.
    let keys: Fragment;
    const byStatus =
      filter.status && !cursor && !filter.q
        ? await statusFirstPageKeys(tx, { own, delivery: filter.sourceId ? [...delivery, tx`d.source_id = ${filter.sourceId}::uuid`] : delivery }, limit + 1)
        : null;
    if (byStatus) {
      keys = keyRows(tx, byStatus);
    } else if (pathSearch) {
      keys = keyRows(tx, await pathSearchKeys(tx, eventsList, { scope, cursor, search }, limit + 1, options.searchProbeRows));
    } else {
      const conditions = cursor ? [...scope, ...search, after(tx, cursor)] : [...scope, ...search];
      keys = tx`SELECT e.id, e.received_at FROM events e WHERE ${andAll(tx, conditions)} ${ORDER(tx)} LIMIT ${limit + 1}`;
    }

    return pageRows(tx, keys);
  });

  const more = rows.length > limit;
  const data = rows.slice(0, limit).map(toListRow);
  const last = data[data.length - 1];
  return {
    data,
    nextCursor: more && last ? encodeCursor(last.receivedAt, last.id) : null,
    ...(filter.searchWindow ? { searchWindow: filter.searchWindow } : {}),
  };
}
