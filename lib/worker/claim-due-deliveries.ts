/**
 * Claims due deliveries for one worker. Any number of workers on any number of machines claim
 * from one database, and a destination's limits hold across all of them at every instant:
 *
 * A claim is one call of the SQL function hookyard_claim_deliveries (its migration,
 * 20261202003603_claim_deliveries_function, holds the statements), which runs two statements in
 * one transaction and one round trip: in READ COMMITTED each statement of a volatile PL/pgSQL
 * function takes a new snapshot. (As a two-statement transaction sent from here, through
 * sql.begin, it cost three round trips.)
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
import type { Sql } from '@/lib/db/sql';
import { type ClaimRow, claimDeliveryRows, giveBackAllLeases } from '@/lib/deliveries/lifecycle/lease-deliveries';
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

const windowSeconds = RATE_WINDOW_MS / 1000;
const keepSeconds = RATE_CLAIM_KEEP_MS / 1000;

export async function claimDueDeliveries(sql: Sql, options: ClaimOptions): Promise<Claim> {
  const rows = await claimDeliveryRows(sql, { ...options, windowSeconds, keepSeconds });
  const deliveries: ClaimedDelivery[] = [];
  let summary: ClaimRow | undefined;
  for (const row of rows) {
    if (row.id === null) {
      summary = row;
      continue;
    }
    deliveries.push({
      id: row.id,
      eventId: row.event_id!,
      destinationId: row.destination_id!,
      attemptCount: row.attempt_count!,
      orderingKey: row.ordering_key,
      headers: row.headers!,
      body: row.body!,
    });
  }
  return { deliveries, busyDestinations: summary?.busy ?? 0, rateWaitMs: summary?.rate_wait_ms ?? null };
}

/**
 * On a graceful stop: gives back what this worker still holds, to be sent by another. Not an
 * attempt: stopping a worker says nothing about the delivery, so it must not use up its schedule.
 */
export const releaseLeases = (sql: Sql, owner: string): Promise<number> => giveBackAllLeases(sql, owner);
