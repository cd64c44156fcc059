/** The list filters as SQL conditions on `e` (events), for every list that filters by them. */
import type postgres from 'postgres';
import type { Sql } from '@/lib/db/sql';
import { eventTypeCondition, type ListFilter, parsePayloadSearch } from './list-filter.schema';

type Fragment = postgres.Fragment;

/** Conditions on `e` (events) for the event type. */
export function eventTypeConditions(sql: Sql, filter: ListFilter): Fragment[] {
  if (!filter.eventType) return [];
  const type = eventTypeCondition(filter.eventType);
  if (type.kind === 'exact') return [sql`e.event_type = ${type.value}`];
  if (type.kind === 'prefix') return [sql`e.event_type LIKE ${type.pattern}`];
  return [];
}

/** Conditions on `e` (events) for the payload search `q`. */
export function searchConditions(sql: Sql, filter: ListFilter): Fragment[] {
  if (!filter.q) return [];
  const search = parsePayloadSearch(filter.q);
  if (search.kind === 'text') {
    // Raw bytes, never decoded: works for any body, and cannot fail on invalid UTF-8.
    return [sql`position(${Buffer.from(search.text, 'utf8')}::bytea in e.body) > 0`];
  }
  const alternatives = search.contains.map((value) => sql`e.payload @> ${JSON.stringify(value)}::text::jsonb`);
  const conditions = [sql`(${alternatives.slice(1).reduce((any, next) => sql`${any} OR ${next}`, alternatives[0]!)})`];
  if (search.exact) {
    conditions.push(sql`e.payload #> ${search.path.map(String)}::text[] = ANY(${search.values.map((value) => JSON.stringify(value))}::text[]::jsonb[])`);
  }
  return conditions;
}

/** Conditions on `e` (events) for the event type and the payload search. */
export function eventConditions(sql: Sql, filter: ListFilter): Fragment[] {
  return [...eventTypeConditions(sql, filter), ...searchConditions(sql, filter)];
}
