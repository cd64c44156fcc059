/**
 * Writes attempt outcomes in batches: one statement inserts the attempt rows and moves each
 * delivery to its next state (succeeded, pending again at its retry time, or failed when its
 * schedule is used up) — but only while this worker still holds the lease. Then destination
 * health, alerts and chart counters follow.
 */
import type { Sql } from '@/lib/db/sql';
import { newId } from '@/lib/db/ids';
import { logger } from '@/lib/log/logger';
import { raiseAlert } from './alerts';
import type { ClaimedDelivery } from './claim-due-deliveries';
import { countAttempt } from './delivery-stats';
import { updateDestinationHealth } from './destination-health';
import type { DestinationConfig } from './destination-config';
import { nextStep, parseRetryAfter } from './retry-policy';
import type { AttemptOutcome } from './send-delivery';

export interface AttemptResult {
  delivery: ClaimedDelivery;
  destination: DestinationConfig;
  outcome: AttemptOutcome;
}

interface DeliveryUpdate {
  id: string;
  status: 'succeeded' | 'pending' | 'failed';
  nextAttemptAt: Date | null;
  error: string | null;
  code: number | null;
}

export function decide(result: AttemptResult, now: Date, random?: () => number): DeliveryUpdate {
  const { outcome, delivery, destination } = result;
  const error = outcome.errorKind ? `${outcome.errorKind}: ${outcome.errorMessage ?? ''}`.slice(0, 500) : null;
  if (!outcome.errorKind) return { id: delivery.id, status: 'succeeded', nextAttemptAt: null, error: null, code: outcome.status };
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

export async function recordResults(sql: Sql, owner: string, results: AttemptResult[], now = new Date()): Promise<void> {
  if (results.length === 0) return;
  const updates = results.map((result) => decide(result, now));
  const attempts = results.map((r) => ({
    id: newId(),
    deliveryId: r.delivery.id,
    number: r.delivery.attemptCount + 1,
    startedAt: r.outcome.startedAt.toISOString(),
    durationMs: r.outcome.durationMs,
    status: r.outcome.status,
    headers: r.outcome.headers ? JSON.stringify(r.outcome.headers) : null,
    body: r.outcome.body ? r.outcome.body.toString('hex') : null,
    errorKind: r.outcome.errorKind,
    errorMessage: r.outcome.errorMessage,
  }));
  await sql`
    WITH attempts_in AS (
      INSERT INTO attempts (id, delivery_id, attempt_number, started_at, duration_ms, response_status, response_headers, response_body,
                            error_kind, error_message, worker_id)
      SELECT id, delivery_id, n, started_at, duration_ms, status, headers::jsonb, decode(body, 'hex'), error_kind::"AttemptErrorKind", error_message, ${owner}
      FROM unnest(${attempts.map((a) => a.id)}::uuid[], ${attempts.map((a) => a.deliveryId)}::uuid[], ${attempts.map((a) => a.number)}::int[],
                  ${attempts.map((a) => a.startedAt)}::timestamptz[], ${attempts.map((a) => a.durationMs)}::int[], ${attempts.map((a) => a.status)}::int[],
                  ${attempts.map((a) => a.headers)}::text[], ${attempts.map((a) => a.body)}::text[], ${attempts.map((a) => a.errorKind)}::text[],
                  ${attempts.map((a) => a.errorMessage)}::text[])
        AS t(id, delivery_id, n, started_at, duration_ms, status, headers, body, error_kind, error_message)
    ), r AS (
      SELECT * FROM unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.status)}::text[],
                           ${updates.map((u) => u.nextAttemptAt?.toISOString() ?? null)}::timestamptz[], ${updates.map((u) => u.error)}::text[],
                           ${updates.map((u) => u.code)}::int[]) AS r(id, status, next_at, error, code)
    )
    UPDATE deliveries d SET status = r.status::"DeliveryStatus", attempt_count = d.attempt_count + 1,
      next_attempt_at = COALESCE(r.next_at, d.next_attempt_at), last_error = r.error, last_status_code = r.code,
      lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
      completed_at = CASE WHEN r.status IN ('succeeded', 'failed') THEN now() ELSE NULL END
    FROM r WHERE d.id = r.id AND d.lease_owner = ${owner} AND d.status = 'in_flight'`;

  for (const [index, update] of updates.entries()) {
    if (update.status !== 'succeeded') {
      logger.debug({ delivery: update.id, destination: results[index]!.destination.id, status: update.status, error: update.error }, 'delivery attempt failed');
    }
  }

  // Destination health, alerts and chart counters: after the commit, and never able to undo it.
  const byDestination = new Map<string, { outcomes: boolean[]; firstFailureAt: Date | null }>();
  results.forEach((result, index) => {
    const update = updates[index]!;
    const ok = update.status === 'succeeded';
    const entry = byDestination.get(result.destination.id) ?? { outcomes: [], firstFailureAt: null };
    entry.outcomes.push(ok);
    if (!ok && !entry.firstFailureAt) entry.firstFailureAt = result.outcome.startedAt;
    byDestination.set(result.destination.id, entry);
    countAttempt({ destinationId: result.destination.id, succeeded: ok, exhausted: update.status === 'failed', latencyMs: result.outcome.durationMs });
  });
  try {
    for (const [destinationId, entry] of byDestination) await updateDestinationHealth(sql, { destinationId, ...entry }, now);
    const exhausted = updates.filter((u) => u.status === 'failed');
    for (const update of exhausted) {
      const result = results.find((r) => r.delivery.id === update.id)!;
      await raiseAlert(sql, {
        kind: 'delivery_exhausted',
        destinationId: result.destination.id,
        deliveryId: update.id,
        message: `A delivery failed after ${result.delivery.attemptCount + 1} attempts (${update.error ?? 'unknown error'})`,
      });
    }
  } catch (error) {
    logger.warn({ err: error }, 'updating destination health or alerts failed');
  }
}
