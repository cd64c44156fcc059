/**
 * Lease recovery: in-flight deliveries whose worker will never record an outcome. A lease that
 * lapses counts as an attempt, so a delivery whose processing kills its worker every time runs
 * out of schedule and ends `failed` instead of being retried forever.
 *
 * A delivery is lost when its lease expired (its worker died, hung or lost its way), or, sooner,
 * when its lease owner is a worker whose heartbeat stopped or which stopped without giving it
 * back (worker-registry.ts). Rows owned by processes that never wrote a heartbeat wait for their
 * lease to expire, as before heartbeats existed.
 *
 * Each lost delivery gets a `worker_lost` attempt (started at its claim, lasting until now) and
 * moves on exactly as after a failed send: pending at its next retry time, or failed when its
 * schedule is used up, with the delivery_exhausted alert. The same writer as a worker's results
 * does it (record-results.ts), in the transaction that holds the rows: any number of workers
 * can recover at once (SKIP LOCKED), and each lost attempt is recorded once.
 */
import type { Sql } from '@/lib/db/sql';
import { followUpOutcomes, type OutcomeToRecord, type RecordedOutcome, writeOutcomes } from './record-results';
import type { AttemptOutcome } from './send-delivery';
import { WORKER_GONE_AFTER_MS } from './worker-registry';

export type LossReason = 'expired' | 'gone' | 'stopped';

/** The attempt a lost lease stands for. */
export function lostLeaseOutcome(lost: { owner: string | null; claimedAt: Date; recoveredAt: Date; reason: LossReason }): AttemptOutcome {
  const worker = lost.owner ? `worker ${lost.owner}` : 'its worker';
  const message = {
    expired: `the lease expired before ${worker} recorded an outcome`,
    gone: `${worker} stopped sending heartbeats before it recorded an outcome`,
    stopped: `${worker} stopped without recording an outcome or giving the delivery back`,
  }[lost.reason];
  return {
    startedAt: lost.claimedAt,
    durationMs: Math.max(0, lost.recoveredAt.getTime() - lost.claimedAt.getTime()),
    status: null,
    headers: null,
    body: null,
    errorKind: 'worker_lost',
    errorMessage: message,
    retryAfter: null,
    request: null,
  };
}

interface LostRow {
  id: string;
  destination_id: string;
  attempt_count: number;
  lease_owner: string | null;
  retry_schedule: number[];
  claimed_at: Date;
  recovered_at: Date;
  reason: LossReason;
}

export interface RecoveryOptions {
  /** Rows per transaction. */
  batchSize?: number;
  /** Most batches per call; the rest waits for the next call. */
  maxBatches?: number;
  now?: Date;
}

/** Records every lost delivery's attempt and moves it on. Returns how many were recovered. */
export async function recoverLostLeases(sql: Sql, options: RecoveryOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  const maxBatches = options.maxBatches ?? 10;
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const found = { count: 0 };
    const recorded = await sql.begin(async (tx) => {
      const rows = await tx<LostRow[]>`
        SELECT d.id, d.destination_id, d.attempt_count, d.lease_owner, t.retry_schedule,
               COALESCE(d.claimed_at, d.updated_at) AS claimed_at, now() AS recovered_at,
               CASE WHEN d.lease_expires_at < now() THEN 'expired' WHEN w.stopped_at IS NOT NULL THEN 'stopped' ELSE 'gone' END AS reason
        FROM deliveries d
        JOIN destinations t ON t.id = d.destination_id
        LEFT JOIN workers w ON w.id = d.lease_owner
        WHERE d.status = 'in_flight'
          AND (d.lease_expires_at < now()
               OR w.stopped_at IS NOT NULL
               OR w.heartbeat_at < now() - make_interval(secs => ${WORKER_GONE_AFTER_MS / 1000}))
        ORDER BY d.lease_expires_at
        LIMIT ${batchSize}
        FOR UPDATE OF d SKIP LOCKED`;
      found.count = rows.length;
      const results: OutcomeToRecord[] = rows.map((row) => ({
        owner: row.lease_owner,
        delivery: { id: row.id, attemptCount: row.attempt_count },
        destination: { id: row.destination_id, retrySchedule: row.retry_schedule },
        outcome: lostLeaseOutcome({ owner: row.lease_owner, claimedAt: row.claimed_at, recoveredAt: row.recovered_at, reason: row.reason }),
      }));
      return writeOutcomes(tx, results, options.now ?? new Date());
    });
    await followUpOutcomes(sql, recorded as RecordedOutcome[], options.now);
    total += recorded.length;
    if (found.count < batchSize) break;
  }
  return total;
}
