/**
 * The one writer of attempt outcomes, for both sources of them: a worker's finished sends
 * (recordResults) and lease recovery's lost ones (recover-lost-leases.ts). One statement moves
 * each delivery to its next state (succeeded, pending again at its retry time, or failed when its
 * schedule is used up) and inserts its attempt row, but only where the expected owner still holds
 * the lease: an outcome that arrives after the lease was taken over changes nothing, since the
 * takeover has already recorded that attempt (as worker_lost). Then destination health, alerts
 * and chart counters follow, after the commit.
 */
import type postgres from 'postgres';
import type { Sql } from '@/lib/db/sql';
import { newId } from '@/lib/db/ids';
import { type OutcomeTransition, writeAttemptOutcomes } from '@/lib/deliveries/lifecycle/record-outcomes';
import { logger } from '@/lib/log/logger';
import { raiseAlert } from '@/lib/alerts/raise-alert';
import type { ClaimedDelivery } from './claim-due-deliveries';
import { countAttempt } from './delivery-stats';
import { updateDestinationHealth } from './destination-health';
import type { DestinationConfig } from './destination-config';
import { nextStep, parseRetryAfter } from './retry-policy';
import type { AttemptOutcome } from './send-delivery';

/** A finished send, as the worker has it. */
export interface AttemptResult {
  delivery: ClaimedDelivery;
  destination: DestinationConfig;
  outcome: AttemptOutcome;
}

/** What deciding and recording an outcome needs (a lost lease has no body or signing secrets at hand). */
export interface OutcomeToRecord {
  delivery: Pick<ClaimedDelivery, 'id' | 'attemptCount'>;
  destination: Pick<DestinationConfig, 'id' | 'retrySchedule'>;
  outcome: AttemptOutcome;
  /** The worker whose lease the outcome belongs to; the attempt row names it. */
  owner: string | null;
}

export interface DeliveryUpdate {
  id: string;
  status: 'succeeded' | 'pending' | 'failed';
  nextAttemptAt: Date | null;
  error: string | null;
  code: number | null;
}

export interface RecordedOutcome {
  result: OutcomeToRecord;
  update: DeliveryUpdate;
}

/** The state machine's name for each outcome (lib/deliveries/lifecycle/state-machine.ts). */
const OUTCOME_TRANSITION: Record<DeliveryUpdate['status'], OutcomeTransition> = { succeeded: 'succeed', pending: 'schedule_retry', failed: 'exhaust' };

export function decide(result: Omit<OutcomeToRecord, 'owner'>, now: Date, random?: () => number): DeliveryUpdate {
  const { outcome, delivery, destination } = result;
  const error = outcome.errorKind ? `${outcome.errorKind}: ${outcome.errorMessage ?? ''}`.slice(0, 500) : null;
  if (!outcome.errorKind) return { id: delivery.id, status: 'succeeded', nextAttemptAt: null, error: null, code: outcome.status };
  // The same code would fail the same way: no blind retries (docs/transformations.md). Replay after fixing it.
  if (outcome.errorKind === 'transform_error') return { id: delivery.id, status: 'failed', nextAttemptAt: null, error, code: null };
  const step = nextStep({
    attemptsMade: delivery.attemptCount + 1,
    schedule: destination.retrySchedule,
    retryAfterSeconds: parseRetryAfter(outcome.retryAfter, now),
    now,
    random,
  });
  if (step.kind === 'exhausted') return { id: delivery.id, status: 'failed', nextAttemptAt: null, error, code: outcome.status };
  return { id: delivery.id, status: 'pending', nextAttemptAt: step.at, error, code: outcome.status };
}

/** Records a worker's finished sends (it holds their leases). */
/** Returns the ids of the deliveries whose outcome was recorded. */
export async function recordResults(sql: Sql, owner: string, results: AttemptResult[], now = new Date()): Promise<Set<string>> {
  if (results.length === 0) return new Set();
  const recorded = await writeOutcomes(
    sql,
    results.map((result) => ({ ...result, owner })),
    now,
  );
  if (recorded.length < results.length) {
    // Its lease was taken over (it expired, or this worker was taken for gone): the takeover
    // recorded a worker_lost attempt and the delivery will be sent again. At least once.
    const recordedIds = new Set(recorded.map((x) => x.update.id));
    const late = results.filter((r) => !recordedIds.has(r.delivery.id)).map((r) => r.delivery.id);
    logger.warn({ deliveries: late.slice(0, 20), count: late.length }, 'outcomes arrived after their leases were taken over; not recorded');
  }
  await followUpOutcomes(sql, recorded, now);
  return new Set(recorded.map((x) => x.update.id));
}

/**
 * One statement: the state change of each delivery whose lease `owner` still holds, and the
 * attempt rows of exactly those. Returns what was recorded. Runs inside the caller's transaction
 * when given one.
 */
export async function writeOutcomes(
  sql: Sql | postgres.TransactionSql,
  results: OutcomeToRecord[],
  now: Date,
  random?: () => number,
): Promise<RecordedOutcome[]> {
  if (results.length === 0) return [];
  const updates = results.map((result) => decide(result, now, random));
  const moved = await writeAttemptOutcomes(
    sql,
    results.map((r, i) => {
      const u = updates[i]!;
      return {
        id: u.id,
        owner: r.owner,
        transition: OUTCOME_TRANSITION[u.status],
        nextAttemptAt: u.nextAttemptAt,
        error: u.error,
        code: u.code,
        attempt: { id: newId(), ...r.outcome },
      };
    }),
  );
  const recordedIds = new Set(moved);
  return results.flatMap((result, index) => (recordedIds.has(result.delivery.id) ? [{ result, update: updates[index]! }] : []));
}

/**
 * After the commit, and never able to undo it: destination health, the delivery_exhausted alert
 * (raised here; resolved by the worker's sweep once nothing of the destination waits for a replay), and chart counters. A worker_lost attempt says nothing about the receiver (the worker died, or
 * was taken for dead), and a transform_error happened before any send, so neither counts towards the destination's circuit breaker.
 */
export async function followUpOutcomes(sql: Sql, recorded: RecordedOutcome[], now = new Date()): Promise<void> {
  for (const { result, update } of recorded) {
    if (update.status !== 'succeeded') {
      logger.debug({ delivery: update.id, destination: result.destination.id, status: update.status, error: update.error }, 'delivery attempt failed');
    }
  }
  const byDestination = new Map<string, { outcomes: boolean[]; firstFailureAt: Date | null }>();
  for (const { result, update } of recorded) {
    const ok = update.status === 'succeeded';
    countAttempt({ destinationId: result.destination.id, succeeded: ok, exhausted: update.status === 'failed', latencyMs: result.outcome.durationMs });
    // Neither a lost worker nor a failing transform says anything about the receiver.
    if (result.outcome.errorKind === 'worker_lost' || result.outcome.errorKind === 'transform_error') continue;
    const entry = byDestination.get(result.destination.id) ?? { outcomes: [], firstFailureAt: null };
    entry.outcomes.push(ok);
    if (!ok && !entry.firstFailureAt) entry.firstFailureAt = result.outcome.startedAt;
    byDestination.set(result.destination.id, entry);
  }
  try {
    for (const [destinationId, entry] of byDestination) await updateDestinationHealth(sql, { destinationId, ...entry }, now);
    for (const { result, update } of recorded) {
      if (update.status !== 'failed') continue;
      await raiseAlert(sql, {
        kind: 'delivery_exhausted',
        destinationId: result.destination.id,
        deliveryId: update.id,
        message: `A delivery failed after ${result.delivery.attemptCount + 1} ${result.delivery.attemptCount === 0 ? 'attempt' : 'attempts'} (${update.error ?? 'unknown error'})`,
      });
    }
  } catch (error) {
    logger.warn({ err: error }, 'updating destination health or alerts failed');
  }
}
