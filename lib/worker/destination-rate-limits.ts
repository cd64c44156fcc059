/**
 * Destination rate limits: at most `rate_limit_per_second` claims in ANY sliding one-second
 * window, across every worker. Fixed calendar-second counters let twice the limit through
 * across a second boundary (N at x.999, N more at y.000); a log does not.
 *
 * The log is `destination_rate_claims`, one row per claimed delivery of a rate-limited
 * destination, stamped with the claim's time on the database's clock. The claim
 * (claim-due-deliveries.ts) counts a destination's rows of the last second while it holds that
 * destination's row lock, so two workers can never both spend the same allowance, and writes
 * its own rows in the same transaction. Rows older than RATE_CLAIM_KEEP_MS are deleted by the
 * next claim of their destination, and by purgeStaleRateClaims for destinations that went quiet.
 *
 * What the log bounds is the claims (when the database handed the delivery to a worker). The
 * receiver sees each request a little later: after the commit, the worker's own bookkeeping and
 * the connect. So that a worker that stalls (a long GC pause, a slow configuration load) cannot
 * send a batch of old claims on top of newer ones, a worker sends a rate-limited delivery only
 * within RATE_LIMITED_SEND_DEADLINE_MS of receiving its claim, and otherwise gives it back
 * unsent (not an attempt; its slot in the log stays used). Hence a receiver sees at most the
 * limit in any window of one second minus that deadline (and the commit's few milliseconds).
 */
import type { Sql } from '@/lib/db/sql';

export const RATE_WINDOW_MS = 1_000;
/** A little more than the window, so a claim never counts against a log that was trimmed too eagerly. */
export const RATE_CLAIM_KEEP_MS = 2_000;

/** A rate-limited delivery not sent this soon after its claim arrived is given back unsent. */
export const RATE_LIMITED_SEND_DEADLINE_MS = 200;

/** Periodic sweep (the worker process runs it): rows no claim can count any more. */
export async function purgeStaleRateClaims(sql: Sql): Promise<number> {
  const result = await sql`DELETE FROM destination_rate_claims WHERE claimed_at < now() - make_interval(secs => ${RATE_CLAIM_KEEP_MS / 1000})`;
  return result.count;
}
