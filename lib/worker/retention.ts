/**
 * Retention (docs/replay-and-retention.md): old rows are deleted in small batches — one short
 * statement per batch, a pause between batches, a cap per run — so the hot tables are never
 * locked for long and the worker's own queries keep their turn.
 *
 *  - events older than HOOKYARD_RETENTION_DAYS (default 30), with their deliveries and attempts
 *    (ON DELETE CASCADE) — except events that still have undelivered work (a delivery pending,
 *    in flight or paused): those stay until it is done, so retention never loses a webhook;
 *  - rejected requests older than the same;
 *  - resolved alerts resolved before the same;
 *  - per-minute source and destination stats older than max(90, HOOKYARD_RETENTION_DAYS) days:
 *    they are small and the charts' longer view is worth keeping.
 * The audit log and bulk replays are kept.
 *
 * One worker at a time deletes: each batch is a transaction that first takes an advisory lock
 * (pg_try_advisory_xact_lock), and a worker that finds it taken ends its run. A lock per batch,
 * not one per run, because a run holding a session lock needs a connection of its own for minutes,
 * and postgres.js 3.4.9's `reserve` can hang or hand back a dead connection (porsager/postgres#751).
 */
import { retentionDays } from '@/lib/config/settings';
import type postgres from 'postgres';
import type { Sql } from '@/lib/db/sql';
import { logger } from '@/lib/log/logger';

export const DEFAULT_RETENTION_DAYS = 30;
export const MIN_STATS_RETENTION_DAYS = 90;
/** How often the worker runs it. */
export const RETENTION_INTERVAL_MS = 5 * 60_000;
const ADVISORY_LOCK_KEY = 0x686b7972; // "hkyr"

export interface RetentionOptions {
  now?: Date;
  retentionDays?: number;
  statsRetentionDays?: number;
  /** Rows per DELETE statement. */
  batchSize?: number;
  /** Most batches per table per run; the rest waits for the next run. */
  maxBatchesPerTable?: number;
  /** Pause between batches. */
  pauseMs?: number;
}

export interface RetentionReport {
  events: number;
  rejectedRequests: number;
  alerts: number;
  sourceMinuteStats: number;
  destinationMinuteStats: number;
  batches: number;
  /** False when another worker was running retention. */
  ran: boolean;
}

/** HOOKYARD_RETENTION_DAYS: a whole number of days, at least 1. */
export function retentionDaysFromEnv(env?: NodeJS.ProcessEnv): number {
  return retentionDays(env);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runRetention(sql: Sql, options: RetentionOptions = {}): Promise<RetentionReport> {
  const now = options.now ?? new Date();
  const retentionDays = options.retentionDays ?? retentionDaysFromEnv();
  const statsDays = options.statsRetentionDays ?? Math.max(MIN_STATS_RETENTION_DAYS, retentionDays);
  const batchSize = options.batchSize ?? 1_000;
  const maxBatches = options.maxBatchesPerTable ?? 100;
  const pauseMs = options.pauseMs ?? 50;
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const statsCutoff = new Date(now.getTime() - statsDays * 86_400_000);
  const report: RetentionReport = { events: 0, rejectedRequests: 0, alerts: 0, sourceMinuteStats: 0, destinationMinuteStats: 0, batches: 0, ran: false };

  /** One batch in a transaction of its own, under the lock; null when another worker holds it. */
  const batch = (statement: (tx: postgres.TransactionSql) => postgres.PendingQuery<postgres.Row[]>) =>
    sql.begin(async (tx) => {
      const [lock] = await tx<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${ADVISORY_LOCK_KEY}) AS locked`;
      if (!lock?.locked) return null;
      return (await statement(tx)).count;
    });
  let lost = false;
  /** Runs `statement` until it deletes less than a batch, the cap is reached, or another worker takes over. */
  const drain = async (statement: Parameters<typeof batch>[0]): Promise<number> => {
    let total = 0;
    for (let round = 0; round < maxBatches && !lost; round++) {
      const deleted = await batch(statement);
      if (deleted === null) {
        lost = true;
        break;
      }
      report.ran = true;
      report.batches++;
      total += deleted;
      if (deleted < batchSize) break;
      await sleep(pauseMs);
    }
    return total;
  };

  // Oldest first. SKIP LOCKED: an event a retry or replay is working on (KEY SHARE) waits for the
  // next run. Undelivered work keeps its event.
  report.events = await drain(
    (tx) => tx`
      DELETE FROM events WHERE id IN (
        SELECT e.id FROM events e
        WHERE e.received_at < ${cutoff}
          AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status IN ('pending', 'in_flight', 'paused'))
        ORDER BY e.received_at
        LIMIT ${batchSize}
        FOR UPDATE OF e SKIP LOCKED)`,
  );
  report.rejectedRequests = await drain(
    (tx) => tx`
      DELETE FROM rejected_requests WHERE id IN (
        SELECT id FROM rejected_requests WHERE received_at < ${cutoff} ORDER BY received_at LIMIT ${batchSize})`,
  );
  report.alerts = await drain(
    (tx) => tx`
      DELETE FROM alerts WHERE id IN (
        SELECT id FROM alerts WHERE status = 'resolved' AND resolved_at < ${cutoff} ORDER BY resolved_at LIMIT ${batchSize})`,
  );
  report.sourceMinuteStats = await drain(
    (tx) => tx`
      DELETE FROM source_minute_stats WHERE (source_id, minute) IN (
        SELECT source_id, minute FROM source_minute_stats WHERE minute < ${statsCutoff} ORDER BY minute LIMIT ${batchSize})`,
  );
  report.destinationMinuteStats = await drain(
    (tx) => tx`
      DELETE FROM destination_minute_stats WHERE (destination_id, minute) IN (
        SELECT destination_id, minute FROM destination_minute_stats WHERE minute < ${statsCutoff} ORDER BY minute LIMIT ${batchSize})`,
  );
  const deleted = report.events + report.rejectedRequests + report.alerts + report.sourceMinuteStats + report.destinationMinuteStats;
  if (deleted > 0) logger.info({ ...report, retentionDays, statsDays }, 'retention deleted old rows');
  return report;
}
