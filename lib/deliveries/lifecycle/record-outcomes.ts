/**
 * Transitions after an attempt: `succeed`, `schedule_retry` or `exhaust` (in_flight → succeeded,
 * pending or failed), each with its attempt row, in one statement. Only rows whose lease the
 * expected owner still holds move: an outcome that arrives after a takeover changes nothing.
 * lib/worker/record-results.ts decides the transitions; this writes them.
 */
import type postgres from 'postgres';
import type { Sql } from '@/lib/db/sql';
import { DELIVERY_TRANSITIONS, storedFromSql } from './state-machine';

export type OutcomeTransition = 'succeed' | 'schedule_retry' | 'exhaust';

export interface OutcomeWrite {
  id: string;
  /** The lease owner the outcome belongs to. */
  owner: string | null;
  transition: OutcomeTransition;
  nextAttemptAt: Date | null;
  error: string | null;
  code: number | null;
  attempt: {
    id: string;
    startedAt: Date;
    durationMs: number;
    status: number | null;
    headers: Record<string, string> | null;
    body: Buffer | null;
    errorKind: string | null;
    errorMessage: string | null;
    /** The request as sent (URL, headers, which of them are the destination's own): JSON for the `request` column. */
    request: { url: string; headers: Record<string, string>; secretHeaders: string[] } | null;
  };
}

// Every outcome starts from the same status (in_flight), so one guard serves them all.
const fromInFlight = storedFromSql('succeed');

/** Returns the ids of the deliveries that moved (and got their attempt row). */
export async function writeAttemptOutcomes(sql: Sql | postgres.TransactionSql, writes: OutcomeWrite[]): Promise<string[]> {
  if (writes.length === 0) return [];
  const attempts = writes.map((w) => w.attempt);
  // The attempt number is the row's own count after the update, so it is right even if the
  // caller's copy of attempt_count were stale.
  const written = await sql<{ delivery_id: string }[]>`
    WITH r AS (
      SELECT * FROM unnest(${writes.map((w) => w.id)}::uuid[], ${writes.map((w) => w.owner)}::text[],
                           ${writes.map((w) => DELIVERY_TRANSITIONS[w.transition].to)}::text[],
                           ${writes.map((w) => w.nextAttemptAt?.toISOString() ?? null)}::timestamptz[], ${writes.map((w) => w.error)}::text[],
                           ${writes.map((w) => w.code)}::int[]) AS r(id, owner, status, next_at, error, code)
    ), moved AS (
      UPDATE deliveries d SET status = r.status::"DeliveryStatus", attempt_count = d.attempt_count + 1,
        next_attempt_at = COALESCE(r.next_at, d.next_attempt_at), last_error = r.error, last_status_code = r.code,
        lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
        completed_at = CASE WHEN r.status IN ('succeeded', 'failed') THEN now() ELSE NULL END
      FROM r WHERE d.id = r.id AND d.lease_owner IS NOT DISTINCT FROM r.owner AND d.status ${sql.unsafe(fromInFlight)}
      RETURNING d.id, d.attempt_count
    )
    INSERT INTO attempts (id, delivery_id, attempt_number, started_at, duration_ms, response_status, response_headers, response_body,
                          error_kind, error_message, worker_id, request)
    SELECT a.id, a.delivery_id, moved.attempt_count, a.started_at, a.duration_ms, a.status, a.headers::jsonb, decode(a.body, 'hex'),
           a.error_kind::"AttemptErrorKind", a.error_message, a.worker_id, a.request::jsonb
    FROM unnest(${attempts.map((a) => a.id)}::uuid[], ${writes.map((w) => w.id)}::uuid[], ${attempts.map((a) => a.startedAt.toISOString())}::timestamptz[],
                ${attempts.map((a) => a.durationMs)}::int[], ${attempts.map((a) => a.status)}::int[],
                ${attempts.map((a) => (a.headers ? JSON.stringify(a.headers) : null))}::text[],
                ${attempts.map((a) => (a.body ? a.body.toString('hex') : null))}::text[], ${attempts.map((a) => a.errorKind)}::text[],
                ${attempts.map((a) => a.errorMessage)}::text[], ${writes.map((w) => w.owner)}::text[],
                ${attempts.map((a) => (a.request ? JSON.stringify(a.request) : null))}::text[])
      AS a(id, delivery_id, started_at, duration_ms, status, headers, body, error_kind, error_message, worker_id, request)
    JOIN moved ON moved.id = a.delivery_id
    RETURNING delivery_id`;
  return written.map((row) => row.delivery_id);
}
