/**
 * Which events of the stream a client asked for: the events list's filters, decided exactly as
 * the list decides them. Filters on the event itself (source, type, time) are checked on the list
 * item in memory; the ones on deliveries or payloads (destination, status, q) by one query over
 * the batch's ids, shared by every client with the same filter.
 */
import type postgres from 'postgres';
import { andAll, type Sql } from '@/lib/db/sql';
import { filterScope, type EventListRow } from '@/lib/events/list-events';
import { searchConditions } from '@/lib/list-filters/filter-conditions';
import { eventTypeCondition, type ListFilter } from '@/lib/list-filters/list-filter.schema';

/** The same filter gives the same key, whatever the order of its fields. */
export function filterKey(filter: ListFilter): string {
  const entries = Object.entries(filter).filter(([, value]) => value !== undefined);
  return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => [name, value instanceof Date ? value.toISOString() : value]));
}

/** Whether deciding needs the database (a delivery or payload condition). */
export const needsQuery = (filter: ListFilter): boolean => !!(filter.destinationId || filter.status || filter.q);

/** The conditions on `e` that a catch-up query applies: all of the filter. */
export function filterConditions(sql: Sql, filter: ListFilter): postgres.Fragment[] {
  return [...filterScope(sql, filter).scope, ...searchConditions(sql, filter)];
}

/** The in-memory part: source, type and arrival time. */
export function matchesItem(filter: ListFilter, item: EventListRow): boolean {
  if (filter.sourceId && item.source.id !== filter.sourceId) return false;
  if (filter.from && item.receivedAt < filter.from) return false;
  if (filter.to && item.receivedAt >= filter.to) return false;
  if (filter.eventType) {
    const type = eventTypeCondition(filter.eventType);
    if (type.kind === 'exact' && item.eventType !== type.value) return false;
    if (type.kind === 'prefix' && !(item.eventType ?? '').startsWith(filter.eventType.slice(0, -1))) return false;
  }
  return true;
}

/** Of these events, the ids that match the whole filter (one query). */
export async function matchingIds(sql: Sql, filter: ListFilter, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await sql<{ id: string }[]>`
    SELECT e.id FROM events e WHERE e.id = ANY(${ids}::uuid[]) AND ${andAll(sql, filterConditions(sql, filter))}`;
  return new Set(rows.map((row) => row.id));
}
