/**
 * The reported status in SQL. `paused` is not stored: it is a pending delivery whose destination
 * is paused (lifecycle/state-machine.ts, derivedStatus), so readers that show or filter by status
 * ask these, never `status` alone.
 */
import type postgres from 'postgres';
import type { DeliveryStatusFilter } from '@/lib/list-filters/list-filter.schema';
import type { Sql } from '@/lib/db/sql';

const destinationPaused = (sql: Sql, d: string) => sql`EXISTS (SELECT 1 FROM destinations px WHERE px.id = ${sql(d)}.destination_id AND px.status = 'paused')`;

/** The status of delivery `d` (a table alias) as people see it, as text. */
export function reportedStatus(sql: Sql, d = 'd'): postgres.Fragment {
  return sql`(CASE WHEN ${sql(d)}.status = 'pending' AND ${destinationPaused(sql, d)} THEN 'paused' ELSE ${sql(d)}.status::text END)`;
}

/**
 * Held by the circuit: pending, to an active destination whose circuit is open (or half-open), so
 * nothing goes out but the next probe. Its `next_attempt_at` may be long past: it is due, and
 * waits for the circuit. Derived like `paused`; the stored status stays `pending`.
 */
const circuitHolds = (sql: Sql, d: string) =>
  sql`EXISTS (SELECT 1 FROM destinations cx WHERE cx.id = ${sql(d)}.destination_id AND cx.status = 'active' AND cx.circuit_state <> 'closed')`;

/** When the circuit holding pending delivery `d` probes next (null when no circuit holds it); a time in the past means "due now". */
export function heldUntil(sql: Sql, d = 'd'): postgres.Fragment {
  return sql`(CASE WHEN ${sql(d)}.status = 'pending' THEN (SELECT COALESCE(cx.circuit_retry_at, now()) FROM destinations cx
    WHERE cx.id = ${sql(d)}.destination_id AND cx.status = 'active' AND cx.circuit_state <> 'closed') END)`;
}

/** Delivery `d` is in `status` as people see it (`held` is a view of pending: held by the circuit). */
export function hasReportedStatus(sql: Sql, status: DeliveryStatusFilter, d = 'd'): postgres.Fragment {
  if (status === 'held') return sql`(${sql(d)}.status = 'pending' AND ${circuitHolds(sql, d)})`;
  if (status === 'paused') return sql`(${sql(d)}.status = 'pending' AND ${destinationPaused(sql, d)})`;
  if (status === 'pending') return sql`(${sql(d)}.status = 'pending' AND NOT ${destinationPaused(sql, d)})`;
  return sql`${sql(d)}.status = ${status}::"DeliveryStatus"`;
}
