/**
 * Claims due deliveries for one worker. Any number of workers on any number of machines claim
 * from one database, and a destination's limits hold across all of them at every instant:
 *
 * A claim is one short transaction of two statements (READ COMMITTED, pipelined so it costs two
 * round trips: lib/db/pipelined-transaction.ts).
 *  1. Lock the rows of the destinations this claim may take from — active, circuit closed or due
 *     for a probe, with due pending work, and not already full as far as this snapshot can tell —
 *     with `FOR NO KEY UPDATE SKIP LOCKED`. A destination another worker is claiming for right now
 *     is skipped, not waited for; the caller tries again a moment later (`busyDestinations`). NO
 *     KEY: ingest's foreign-key checks on new deliveries take FOR KEY SHARE, which this never
 *     blocks.
 *  2. A new statement, so a new snapshot taken after the locks were granted: it sees every claim
 *     committed by the previous holders of those locks. For the locked destinations only, it
 *     counts what is in flight (leases not expired) and what the last second's rate log holds,
 *     picks that many due rows (`FOR UPDATE SKIP LOCKED`: other writers of single rows, such as a
 *     manual retry, are never waited for), marks them in flight with a lease, and, for
 *     rate-limited destinations, logs the claims and trims the log.
 * Then COMMIT, which releases the destination locks for the next claimer.
 *
 * Picking rows follows the destination's rules:
 *  - at most max_concurrency in flight (one, as a probe, while the circuit is open);
 *  - at most rate_limit_per_second claims in any sliding second (destination-rate-limits.ts);
 *  - with an ordering key, only the oldest unfinished delivery of each key (a failed head, once
 *    its schedule is exhausted, no longer blocks; a paused one does). Claims of one destination
 *    are serialised by its lock, so a key's next delivery is never taken while its head is in
 *    flight, whichever worker holds the head.
 * One destination's lock serialises only claims for that destination: a worker finding it locked
 * takes the other destinations' work in the same claim.
 *
 * The lease (owner + expiry, from the claim time: the destination's timeout plus a margin) is how
 * a dead worker's rows come back: recover-lost-leases.ts takes them over when the lease expires,
 * or sooner when the owner's heartbeat stops (worker-registry.ts), and records the lost attempt.
 */
import { pipelinedTransaction } from '@/lib/db/pipelined-transaction';
import type { Sql } from '@/lib/db/sql';
import { RATE_CLAIM_KEEP_MS, RATE_WINDOW_MS } from './destination-rate-limits';

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
}

export interface Claim {
  deliveries: ClaimedDelivery[];
  /** Destinations with due work and room that another worker was claiming for: worth another try at once. */
  busyDestinations: number;
  /** When a rate-limited destination with due work gets allowance back (ms from now), if one is waiting for it. */
  rateWaitMs: number | null;
}

interface LockRow {
  locked: string[];
  busy: number;
  rate_wait_ms: number | null;
}

interface ClaimedRow {
  id: string;
  event_id: string;
  destination_id: string;
  attempt_count: number;
  ordering_key: string | null;
  headers: Record<string, string>;
  body: Buffer;
}

const windowSeconds = RATE_WINDOW_MS / 1000;
const keepSeconds = RATE_CLAIM_KEEP_MS / 1000;

export async function claimDueDeliveries(sql: Sql, options: ClaimOptions): Promise<Claim> {
  const [[lock], rows] = await pipelinedTransaction<LockRow[], ClaimedRow[]>(
    sql,
    // Statement 1. "free" and "used" here are hints read from this statement's snapshot: they keep
    // a full or rate-exhausted destination from being locked (and from being reported busy, which
    // would make every worker spin on it). Statement 2 recounts under the lock.
    (tx) => tx<LockRow[]>`
      WITH due AS MATERIALIZED (
        SELECT t.id, t.rate_limit_per_second AS rate_limit, rc.used, rc.oldest,
               CASE WHEN t.circuit_state = 'closed' THEN t.max_concurrency ELSE 1 END
                 - (SELECT count(*) FROM deliveries i
                    WHERE i.destination_id = t.id AND i.status = 'in_flight' AND i.lease_expires_at > now())::int AS free
        FROM destinations t
        LEFT JOIN LATERAL (
          SELECT count(*)::int AS used, min(c.claimed_at) AS oldest FROM destination_rate_claims c
          WHERE t.rate_limit_per_second IS NOT NULL AND c.destination_id = t.id
            AND c.claimed_at > clock_timestamp() - make_interval(secs => ${windowSeconds})
        ) rc ON true
        WHERE t.status = 'active'
          AND (t.circuit_state = 'closed' OR t.circuit_retry_at IS NULL OR t.circuit_retry_at <= now())
          AND EXISTS (SELECT 1 FROM deliveries p WHERE p.destination_id = t.id AND p.status = 'pending' AND p.next_attempt_at <= now())
      ), ready AS (
        SELECT id FROM due WHERE free > 0 AND (rate_limit IS NULL OR used < rate_limit)
      ), locked AS MATERIALIZED (
        SELECT t.id FROM destinations t WHERE t.id IN (SELECT id FROM ready)
        FOR NO KEY UPDATE OF t SKIP LOCKED
      )
      SELECT COALESCE((SELECT array_agg(id)::text[] FROM locked), '{}'::text[]) AS locked,
             ((SELECT count(*) FROM ready) - (SELECT count(*) FROM locked))::int AS busy,
             (SELECT ceil(extract(epoch FROM min(oldest) + make_interval(secs => ${windowSeconds}) - clock_timestamp()) * 1000)::int
              FROM due WHERE free > 0 AND rate_limit IS NOT NULL AND used >= rate_limit) AS rate_wait_ms`,
    // Statement 2, only when something was locked. `at` is read once, after the locks: claim times
    // of one destination increase from holder to holder, and the log's comparisons are exact at
    // the millisecond precision it is stored with.
    (tx, [locked]) =>
      locked && locked.locked.length > 0
        ? tx<ClaimedRow[]>`
          WITH clock AS MATERIALIZED (
            SELECT date_trunc('milliseconds', clock_timestamp()) AS at
          ), dest AS MATERIALIZED (
            SELECT t.id, clock.at, t.rate_limit_per_second IS NOT NULL AS rate_limited,
                   LEAST(
                     CASE WHEN t.circuit_state = 'closed' THEN t.max_concurrency ELSE 1 END
                       - (SELECT count(*) FROM deliveries i
                          WHERE i.destination_id = t.id AND i.status = 'in_flight' AND i.lease_expires_at > clock.at)::int,
                     COALESCE(t.rate_limit_per_second
                       - (SELECT count(*) FROM destination_rate_claims c
                          WHERE c.destination_id = t.id AND c.claimed_at > clock.at - make_interval(secs => ${windowSeconds}))::int,
                       2147483647)
                   ) AS free
            FROM destinations t CROSS JOIN clock
            WHERE t.id = ANY(${locked.locked}::uuid[]) AND t.status = 'active'
              AND (t.circuit_state = 'closed' OR t.circuit_retry_at IS NULL OR t.circuit_retry_at <= clock.at)
          ), picked AS (
            SELECT x.id FROM dest CROSS JOIN LATERAL (
              SELECT d.id FROM deliveries d
              WHERE d.destination_id = dest.id AND d.status = 'pending' AND d.next_attempt_at <= dest.at
                AND (d.ordering_key IS NULL OR NOT EXISTS (
                  SELECT 1 FROM deliveries o
                  WHERE o.destination_id = d.destination_id AND o.ordering_key = d.ordering_key
                    AND o.status IN ('pending', 'in_flight', 'paused')
                    AND (o.created_at, o.id) < (d.created_at, d.id)))
              ORDER BY d.next_attempt_at
              LIMIT GREATEST(dest.free, 0)
              FOR UPDATE OF d SKIP LOCKED
            ) x
            LIMIT ${options.limit}
          ), claimed AS (
            UPDATE deliveries d
            SET status = 'in_flight', lease_owner = ${options.owner}, claimed_at = dest.at,
                lease_expires_at = dest.at + make_interval(secs => t.timeout_ms / 1000.0 + ${options.leaseMarginSeconds}), updated_at = now()
            FROM picked, dest, events e, destinations t
            WHERE d.id = picked.id AND dest.id = d.destination_id AND e.id = d.event_id AND t.id = d.destination_id
            RETURNING d.id, d.event_id, d.destination_id, d.attempt_count, d.ordering_key, e.headers, e.body, dest.rate_limited, dest.at
          ), logged AS (
            INSERT INTO destination_rate_claims (destination_id, claimed_at, delivery_id)
            SELECT destination_id, at, id FROM claimed WHERE rate_limited
          ), trimmed AS (
            DELETE FROM destination_rate_claims c USING dest
            WHERE dest.rate_limited AND c.destination_id = dest.id AND c.claimed_at < dest.at - make_interval(secs => ${keepSeconds})
          )
          SELECT id, event_id, destination_id, attempt_count, ordering_key, headers, body FROM claimed`
        : null,
  );
  return {
    deliveries: (rows ?? []).map((row) => ({
      id: row.id,
      eventId: row.event_id,
      destinationId: row.destination_id,
      attemptCount: row.attempt_count,
      orderingKey: row.ordering_key,
      headers: row.headers,
      body: row.body,
    })),
    busyDestinations: lock?.busy ?? 0,
    rateWaitMs: lock?.rate_wait_ms ?? null,
  };
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
