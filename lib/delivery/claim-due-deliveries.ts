/**
 * Claims due deliveries for one worker: `FOR UPDATE SKIP LOCKED`, so concurrent workers never
 * take the same row, and a lease (owner + expiry), so a dead worker's rows are taken over once
 * it lapses, or sooner once its heartbeat stops (recover-lost-leases.ts). The claim is made per
 * destination, which is how one slow or dead destination never holds back the others:
 *  - only active destinations whose circuit is closed, or open but due for a probe (one row);
 *  - at most max_concurrency rows in flight per destination (counted across all workers);
 *  - at most `rateCaps[destination]` rows when the destination has a rate limit;
 *  - with an ordering key, only the oldest unfinished delivery of each key (a failed head, once
 *    its schedule is exhausted, no longer blocks; a paused one does).
 */
import type { Sql } from '@/lib/db/sql';

export interface ClaimedDelivery {
  id: string;
  eventId: string;
  destinationId: string;
  attemptCount: number;
  orderingKey: string | null;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ClaimOptions {
  owner: string;
  limit: number;
  /** Lease length beyond the destination's own timeout. */
  leaseMarginSeconds: number;
  /** Per-destination caps for rate-limited destinations (ids and remaining allowances). */
  rateCaps?: Map<string, number>;
}

export async function claimDueDeliveries(sql: Sql, options: ClaimOptions): Promise<ClaimedDelivery[]> {
  const capIds = [...(options.rateCaps?.keys() ?? [])];
  const capValues = capIds.map((id) => options.rateCaps!.get(id)!);
  const rows = await sql<
    { id: string; event_id: string; destination_id: string; attempt_count: number; ordering_key: string | null; headers: Record<string, string>; body: Buffer }[]
  >`
    WITH rate_caps AS (
      SELECT * FROM unnest(${capIds}::uuid[], ${capValues}::int[]) AS c(destination_id, cap)
    ), capacity AS (
      SELECT t.id,
             LEAST(
               CASE WHEN t.circuit_state = 'closed' THEN t.max_concurrency ELSE 1 END
                 - (SELECT count(*) FROM deliveries i
                    WHERE i.destination_id = t.id AND i.status = 'in_flight' AND i.lease_expires_at > now())::int,
               COALESCE((SELECT cap FROM rate_caps WHERE rate_caps.destination_id = t.id), 2147483647)
             ) AS free
      FROM destinations t
      WHERE t.status = 'active'
        AND (t.circuit_state = 'closed' OR t.circuit_retry_at IS NULL OR t.circuit_retry_at <= now())
        AND EXISTS (SELECT 1 FROM deliveries p WHERE p.destination_id = t.id AND p.status = 'pending' AND p.next_attempt_at <= now())
    ), picked AS (
      SELECT x.id FROM capacity CROSS JOIN LATERAL (
        SELECT d.id FROM deliveries d
        WHERE d.destination_id = capacity.id AND d.status = 'pending' AND d.next_attempt_at <= now()
          AND (d.ordering_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM deliveries o
            WHERE o.destination_id = d.destination_id AND o.ordering_key = d.ordering_key
              AND o.status IN ('pending', 'in_flight', 'paused')
              AND (o.created_at, o.id) < (d.created_at, d.id)))
        ORDER BY d.next_attempt_at
        LIMIT GREATEST(capacity.free, 0)
        FOR UPDATE OF d SKIP LOCKED
      ) x
      LIMIT ${options.limit}
    )
    UPDATE deliveries d
    SET status = 'in_flight', lease_owner = ${options.owner}, claimed_at = now(),
        lease_expires_at = now() + make_interval(secs => t.timeout_ms / 1000.0 + ${options.leaseMarginSeconds}), updated_at = now()
    FROM picked, events e, destinations t
    WHERE d.id = picked.id AND e.id = d.event_id AND t.id = d.destination_id
    RETURNING d.id, d.event_id, d.destination_id, d.attempt_count, d.ordering_key, e.headers, e.body`;
  return rows.map((row) => ({
    id: row.id,
    eventId: row.event_id,
    destinationId: row.destination_id,
    attemptCount: row.attempt_count,
    orderingKey: row.ordering_key,
    headers: row.headers,
    body: row.body,
  }));
}

/**
 * On a graceful stop: gives back what this worker still holds, to be sent by another. Not an
 * attempt: stopping a worker says nothing about the delivery, so it must not use up its schedule.
 */
export async function releaseLeases(sql: Sql, owner: string): Promise<number> {
  const result = await sql`
    UPDATE deliveries SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE status = 'in_flight' AND lease_owner = ${owner}`;
  return result.count;
}
