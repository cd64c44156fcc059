/**
 * The reported status in SQL. `paused` is not stored: it is a pending delivery whose destination
 * is paused (lifecycle/state-machine.ts, derivedStatus), so readers that show or filter by status
 * ask these, never `status` alone.
 */
import type postgres from 'postgres';
import type { DeliveryStatusName } from '@/lib/list-filters/list-filter.schema';
import type { Sql } from '@/lib/db/sql';

const destinationPaused = (sql: Sql, d: string) => sql`EXISTS (SELECT 1 FROM destinations px WHERE px.id = ${sql(d)}.destination_id AND px.status = 'paused')`;

/** The status of delivery `d` (a table alias) as people see it, as text. */
export function reportedStatus(sql: Sql, d = 'd'): postgres.Fragment {
  return sql`(CASE WHEN ${sql(d)}.status = 'pending' AND ${destinationPaused(sql, d)} THEN 'paused' ELSE ${sql(d)}.status::text END)`;
}

/** Delivery `d` is in `status` as people see it. */
export function hasReportedStatus(sql: Sql, status: DeliveryStatusName, d = 'd'): postgres.Fragment {
  if (status === 'paused') return sql`(${sql(d)}.status = 'pending' AND ${destinationPaused(sql, d)})`;
  if (status === 'pending') return sql`(${sql(d)}.status = 'pending' AND NOT ${destinationPaused(sql, d)})`;
  return sql`${sql(d)}.status = ${status}::"DeliveryStatus"`;
}
