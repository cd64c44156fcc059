/**
 * The events list: newest first, keyset-paginated on (received_at, id) — never OFFSET, so page
 * 1,000 costs what page 1 costs — and served by the indexes in docs/data-model.md:
 *  - no filter, or a time range: `events (received_at DESC, id DESC)`;
 *  - a source: `events (source_id, received_at DESC)`; an event type: `events (event_type, …)`;
 *  - `path=value`: the GIN `jsonb_path_ops` index on payload;
 *  - a destination or a delivery status: an EXISTS over deliveries, which Postgres runs either as
 *    a probe of `deliveries (event_id)` per event or as a semi-join driven by
 *    `deliveries (destination_id, status, created_at DESC)` / `(status, created_at DESC)`,
 *    whichever is cheaper for the filter at hand.
 * A free-text search is a bounded scan of bodies (see events.schema.ts).
 */
import type postgres from 'postgres';
import { type Sql, sql as defaultSql } from '@/lib/db/sql';
import { AppError } from '@/lib/http/errors';
import {
  decodeCursor,
  encodeCursor,
  eventTypeCondition,
  type ListEventsQuery,
  type ListFilter,
  parsePayloadSearch,
  withSearchWindow,
} from './events.schema';

type Fragment = postgres.Fragment;

/** Statements of the lists never run longer than this (a text search over a busy week could). */
const LIST_STATEMENT_TIMEOUT = '15s';

export interface EventListRow {
  id: string;
  source: { id: string; slug: string; name: string };
  eventType: string | null;
  receivedAt: Date;
  size: number;
  contentType: string | null;
  verification: 'verified' | 'unverified';
  /** Every delivery of the event (replays included), counted by status. */
  deliveries: { total: number; byStatus: Partial<Record<string, number>> };
  /** The latest delivery to each destination: what "did it get there?" is about. */
  destinations: { id: string; name: string; status: string; deliveryId: string }[];
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  /** The window a free-text search scanned, when `q` was one. */
  searchWindow?: { from: Date; to: Date };
}

export function andAll(sql: Sql, conditions: Fragment[]): Fragment {
  if (conditions.length === 0) return sql`TRUE`;
  return conditions.slice(1).reduce((all, condition) => sql`${all} AND ${condition}`, conditions[0]!);
}

/** Conditions on `e` (events) for the event type and the payload search. */
export function eventConditions(sql: Sql, filter: ListFilter): Fragment[] {
  const conditions: Fragment[] = [];
  if (filter.eventType) {
    const type = eventTypeCondition(filter.eventType);
    if (type.kind === 'exact') conditions.push(sql`e.event_type = ${type.value}`);
    if (type.kind === 'prefix') conditions.push(sql`e.event_type LIKE ${type.pattern}`);
  }
  if (filter.q) {
    const search = parsePayloadSearch(filter.q);
    if (search.kind === 'text') {
      // Raw bytes, never decoded: works for any body, and cannot fail on invalid UTF-8.
      conditions.push(sql`position(${Buffer.from(search.text, 'utf8')}::bytea in e.body) > 0`);
    } else {
      const alternatives = search.contains.map((value) => sql`e.payload @> ${JSON.stringify(value)}::text::jsonb`);
      conditions.push(sql`(${alternatives.slice(1).reduce((any, next) => sql`${any} OR ${next}`, alternatives[0]!)})`);
      if (search.exact) {
        conditions.push(
          sql`e.payload #> ${search.path.map(String)}::text[] = ANY(${search.values.map((value) => JSON.stringify(value))}::text[]::jsonb[])`,
        );
      }
    }
  }
  return conditions;
}

/** Runs a list statement with a statement timeout, and turns a timeout into advice. */
export async function withListTimeout<T>(sql: Sql, run: (tx: Sql) => Promise<T>): Promise<T> {
  try {
    return (await sql.begin(async (tx) => {
      await tx`SELECT set_config('statement_timeout', ${LIST_STATEMENT_TIMEOUT}, true)`;
      return run(tx as unknown as Sql);
    })) as T;
  } catch (error) {
    if ((error as { code?: string }).code === '57014') {
      throw new AppError('invalid_input', 'The search took too long: narrow the time range, add a source or destination, or search by path=value');
    }
    throw error;
  }
}

export function cursorOrThrow(cursor: string | undefined): { at: Date; id: string } | null {
  if (!cursor) return null;
  const decoded = decodeCursor(cursor);
  if (!decoded) throw new AppError('invalid_input', 'cursor: not a cursor from a previous page', [{ path: 'cursor', message: 'invalid' }]);
  return decoded;
}

export async function listEvents(query: ListEventsQuery, options: { sql?: Sql; now?: Date } = {}): Promise<Page<EventListRow>> {
  const sql = options.sql ?? defaultSql();
  const filter = withSearchWindow(query, options.now);
  const after = cursorOrThrow(query.cursor);
  const limit = query.limit;

  const rows = await withListTimeout(sql, (tx) => {
    const conditions: Fragment[] = [];
    if (filter.sourceId) conditions.push(tx`e.source_id = ${filter.sourceId}::uuid`);
    if (filter.from) conditions.push(tx`e.received_at >= ${filter.from}::timestamptz`);
    if (filter.to) conditions.push(tx`e.received_at < ${filter.to}::timestamptz`);
    if (filter.destinationId || filter.status) {
      const delivery: Fragment[] = [tx`d.event_id = e.id`];
      if (filter.destinationId) delivery.push(tx`d.destination_id = ${filter.destinationId}::uuid`);
      if (filter.status) delivery.push(tx`d.status = ${filter.status}::"DeliveryStatus"`);
      conditions.push(tx`EXISTS (SELECT 1 FROM deliveries d WHERE ${andAll(tx, delivery)})`);
    }
    conditions.push(...eventConditions(tx, filter));
    if (after) conditions.push(tx`(e.received_at, e.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);

    return tx<
      {
        id: string;
        received_at: Date;
        event_type: string | null;
        size: number;
        content_type: string | null;
        verification: 'verified' | 'unverified';
        source_id: string;
        source_slug: string;
        source_name: string;
        by_status: Record<string, number> | null;
        latest: { id: string; name: string; status: string; deliveryId: string }[] | null;
      }[]
    >`
      SELECT page.*, s.slug AS source_slug, s.name AS source_name, counts.by_status, latest.latest
      FROM (
        SELECT e.id, e.received_at, e.event_type, e.size, e.content_type, e.verification, e.source_id
        FROM events e
        WHERE ${andAll(tx, conditions)}
        ORDER BY e.received_at DESC, e.id DESC
        LIMIT ${limit + 1}
      ) page
      JOIN sources s ON s.id = page.source_id
      LEFT JOIN LATERAL (
        SELECT jsonb_object_agg(status, n) AS by_status
        FROM (SELECT status, count(*)::int AS n FROM deliveries WHERE event_id = page.id GROUP BY status) c
      ) counts ON true
      LEFT JOIN LATERAL (
        SELECT jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name, 'status', l.status, 'deliveryId', l.id) ORDER BY t.name, t.id) AS latest
        FROM (
          SELECT DISTINCT ON (destination_id) id, destination_id, status FROM deliveries
          WHERE event_id = page.id ORDER BY destination_id, created_at DESC, id DESC
        ) l JOIN destinations t ON t.id = l.destination_id
      ) latest ON true
      ORDER BY page.received_at DESC, page.id DESC`;
  });

  const more = rows.length > limit;
  const data = rows.slice(0, limit).map((row) => {
    const byStatus = row.by_status ?? {};
    return {
      id: row.id,
      source: { id: row.source_id, slug: row.source_slug, name: row.source_name },
      eventType: row.event_type,
      receivedAt: row.received_at,
      size: row.size,
      contentType: row.content_type,
      verification: row.verification,
      deliveries: { total: Object.values(byStatus).reduce((sum, n) => sum + n, 0), byStatus },
      destinations: row.latest ?? [],
    };
  });
  const last = data[data.length - 1];
  return {
    data,
    nextCursor: more && last ? encodeCursor(last.receivedAt, last.id) : null,
    ...(filter.searchWindow ? { searchWindow: filter.searchWindow } : {}),
  };
}
