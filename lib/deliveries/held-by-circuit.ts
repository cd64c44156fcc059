/**
 * Deliveries held by an open circuit, per destination, for the failed queue: they are not failed
 * (their schedule is not used up; the stored status is `pending`) but nothing goes out to their
 * destination except the next probe, so support staff need to see them next to the failures, with
 * when the circuit probes next and a way to ask for the probe now (lib/worker/probe-now.ts).
 *
 * Served by `destinations` (few rows) and a bounded probe of `deliveries (destination_id, status, …)`
 * per destination whose circuit is not closed.
 */
import { type Sql, sql as defaultSql } from '@/lib/db/sql';

export const HELD_COUNT_CAP = 100_000;

export interface HeldByCircuit {
  destination: { id: string; name: string };
  /** Pending deliveries waiting behind the circuit, up to HELD_COUNT_CAP. */
  count: number;
  capped: boolean;
  /** When the circuit probes next; a time in the past means the probe is due now. */
  nextProbeAt: Date;
  openedAt: Date | null;
  consecutiveFailures: number;
}

export async function listHeldByCircuit(filter: { destinationId?: string; sourceId?: string } = {}, options: { sql?: Sql } = {}): Promise<HeldByCircuit[]> {
  const sql = options.sql ?? defaultSql();
  const source = filter.sourceId ? sql`AND d.source_id = ${filter.sourceId}::uuid` : sql``;
  const rows = await sql<{ id: string; name: string; n: number; next_probe_at: Date; opened_at: Date | null; consecutive_failures: number }[]>`
    SELECT * FROM (
      SELECT t.id::text, t.name, COALESCE(t.circuit_retry_at, now()) AS next_probe_at, t.circuit_opened_at AS opened_at, t.consecutive_failures,
             (SELECT count(*)::int FROM (SELECT 1 FROM deliveries d WHERE d.destination_id = t.id AND d.status = 'pending' ${source}
                                          LIMIT ${HELD_COUNT_CAP + 1}::int) q) AS n
      FROM destinations t
      WHERE t.status = 'active' AND t.circuit_state <> 'closed' ${filter.destinationId ? sql`AND t.id = ${filter.destinationId}::uuid` : sql``}
    ) held
    WHERE held.n > 0
    ORDER BY held.n DESC, held.name`;
  return rows.map((row) => ({
    destination: { id: row.id, name: row.name },
    count: Math.min(row.n, HELD_COUNT_CAP),
    capped: row.n > HELD_COUNT_CAP,
    nextProbeAt: row.next_probe_at,
    openedAt: row.opened_at,
    consecutiveFailures: row.consecutive_failures,
  }));
}
