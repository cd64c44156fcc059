/**
 * The page of a path search (`q=path=value`), for the events list and the deliveries list alike.
 *
 * Postgres cannot estimate how many events a `payload @> …` matches (payloads are too wide for
 * column statistics, so it assumes 1%), and the right plan depends on exactly that: walking the
 * newest rows and testing each payload finds a common value (`type=…`) at once but reads every
 * row for a rare one (`data.object.customer=cus_…`, seconds at a million events), while the GIN
 * index on `events.payload` finds a rare value at once but must fetch and sort every match of a
 * common one. So a list first tests the newest `probeRows` rows in scope (a bounded cost, and the
 * whole answer when the value is common), and goes on from there by whichever of the two the
 * matches it saw make cheaper.
 */
import type postgres from 'postgres';
import { andAll, type Sql } from '@/lib/db/sql';

type Fragment = postgres.Fragment;

/** A path search first tests the payloads of this many of the newest rows in scope. */
export const SEARCH_PROBE_ROWS = 1000;
/**
 * What a match fetched through the GIN index costs, in rows tested by walking: the walk reads
 * heap and TOAST pages in order, the index's matches are scattered over the table (measured at a
 * million ~1 KiB Stripe events: ~165 µs per match against ~28 µs per walked event).
 */
const INDEX_MATCH_COST = 6;

/** A row of a list, by its sort key: newest `at` first, then highest id. */
export interface ListKey {
  id: string;
  at: Date;
}

/** How a list reads its rows; every fragment names the event `e` (and, for deliveries, `d`). */
export interface SearchedList {
  /** The table whose row count the cost model weighs. */
  table: 'events' | 'deliveries';
  /** `FROM …`: the list's rows with their events. */
  from: (sql: Sql) => Fragment;
  /** The row's id and sort key, selected as `id` and `at`. */
  key: (sql: Sql) => Fragment;
  /** `ORDER BY …`, newest first. */
  order: (sql: Sql) => Fragment;
  /** Rows after `key` in that order. */
  after: (sql: Sql, key: { at: Date; id: string }) => Fragment;
  /** Rows in `scope` whose event matches `search`, as `id` and `at`, found from the GIN index (unordered). */
  indexed: (sql: Sql, scope: Fragment[], search: Fragment[]) => Fragment;
}

/**
 * The keys of a path search's page (see the header): the newest `probeRows` rows in scope (after
 * the cursor, if any) are tested first; when they hold fewer than `limit` matches, the rest comes
 * from walking on (when the matches seen were frequent enough) or from the GIN index.
 */
export async function pathSearchKeys(
  tx: Sql,
  list: SearchedList,
  filter: { scope: Fragment[]; cursor: { at: Date; id: string } | null; search: Fragment[] },
  limit: number,
  probeRows = SEARCH_PROBE_ROWS,
): Promise<ListKey[]> {
  const { scope, cursor, search } = filter;
  const [probe] = await tx<{ probed: number; last: [string, string] | null; total: number; matches: [string, string][] }[]>`
    WITH newest AS MATERIALIZED (
      SELECT ${list.key(tx)}, e.payload ${list.from(tx)}
      WHERE ${andAll(tx, cursor ? [...scope, list.after(tx, cursor)] : scope)} ${list.order(tx)} LIMIT ${probeRows}
    )
    SELECT (SELECT count(*)::int FROM newest) AS probed,
           (SELECT json_build_array(at, id) FROM newest ORDER BY at, id LIMIT 1) AS last,
           (SELECT greatest(reltuples, 0)::float8 FROM pg_class WHERE oid = ${list.table}::regclass) AS total,
           (SELECT COALESCE(json_agg(json_build_array(m.at, m.id) ORDER BY m.at DESC, m.id DESC), '[]')
              FROM (SELECT e.id, e.at FROM newest e WHERE ${andAll(tx, search)} ORDER BY e.at DESC, e.id DESC LIMIT ${limit}) m) AS matches`;
  const keys: ListKey[] = (probe?.matches ?? []).map(([at, id]) => ({ id, at: new Date(at) }));
  if (!probe || keys.length >= limit || probe.probed < probeRows || !probe.last) return keys;

  const need = limit - keys.length;
  const last = { at: new Date(probe.last[0]), id: probe.last[1] };
  // Rows to test either way, if matches are spread as they were among the newest: walking on
  // needs `need` more matches; the index fetches every match in the remaining rows.
  const density = keys.length / probeRows;
  const walkRows = keys.length > 0 ? need / density : Number.POSITIVE_INFINITY;
  const indexRows = ((keys.length + 1) / probeRows) * Math.max(probe.total - probeRows, 0);
  if (walkRows < indexRows * INDEX_MATCH_COST) {
    const more = await tx<ListKey[]>`
      SELECT ${list.key(tx)} ${list.from(tx)} WHERE ${andAll(tx, [...scope, ...search, list.after(tx, last)])} ${list.order(tx)} LIMIT ${need}`;
    return [...keys, ...more];
  }
  // Materialised without ORDER BY, the matches come from the GIN index rather than from a walk.
  // The keyset bound applies afterwards: inside, Postgres would AND the GIN index's few matches
  // with an index scan for `(at, id) < …` (most of the table) when it plans for any cursor.
  const more = await tx<ListKey[]>`
    WITH matches AS MATERIALIZED (${list.indexed(tx, scope, search)})
    SELECT m.id, m.at FROM matches m WHERE (m.at, m.id) < (${last.at}::timestamptz, ${last.id}::uuid)
    ORDER BY m.at DESC, m.id DESC LIMIT ${need}`;
  return [...keys, ...more];
}
