/**
 * Hourly sums of the per-minute counters, for the 7- and 30-day charts: a 30-day chart of five
 * destinations reads 3,600 hour rows instead of 216,000 minute rows, and folding the minutes'
 * latency histograms (a sum per slot and row) is what a cold 30-day read spent its time on.
 *
 * The overview sums an hour once it ended ROLLUP_LAG_MS ago, when it first needs it: counters are
 * written about a second after their minute (BufferedFlusher drops a failed write, it does not
 * retry later), so such an hour never changes again. One process sums at a time (an advisory
 * lock; the others read minutes meanwhile), for every source and destination at once, and records
 * the hour in `stats_rollup_hours`; summing is idempotent. Deleting a source or a destination
 * deletes its hours too (cascade). Hours older than the minute counters' retention are deleted
 * here as they are there (lib/worker/retention.ts).
 */
import { MIN_STATS_RETENTION_DAYS, retentionDaysFromEnv } from '@/lib/worker/retention';
import type { Sql } from '@/lib/db/sql';
import { logger } from '@/lib/log/logger';
import { LATENCY_BUCKETS_MS } from '@/lib/metrics/latency-buckets';
import { addToCounterTotals } from './counter-totals';

export const HOUR_MS = 3_600_000;
/** An hour is summed once it ended this long ago. */
export const ROLLUP_LAG_MS = 15 * 60_000;
/** pg_try_advisory_xact_lock key of the summing ("hyroll" in ASCII). */
const ROLLUP_LOCK_KEY = 0x6879726f6c6cn;

const SUMMED_HISTOGRAM_SQL = `ARRAY[${Array.from({ length: LATENCY_BUCKETS_MS.length + 1 }, (_, i) => `COALESCE(sum(latency_hist[${i + 1}]), 0)`).join(', ')}]::int[]`;

/** Hours start on the Unix epoch's hour boundaries (UTC), as the charts' points do. */
const EPOCH = '1970-01-01 00:00:00+00';
const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const ceilHour = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;

/**
 * Makes sure the hours of [from, to) that ended ROLLUP_LAG_MS before `now` are summed, and returns
 * the end of the summed stretch that starts at `from` rounded up to the hour: read hours from
 * there back, minutes after. When another process is summing, or summing fails, the stretch ends
 * where the summed hours do (at worst at the start: everything is read from minutes).
 */
export async function ensureHourRollups(sql: Sql, span: { from: Date; to: Date }, now: Date): Promise<{ from: Date; until: Date }> {
  const start = ceilHour(span.from.getTime());
  const end = Math.max(start, floorHour(Math.min(span.to.getTime(), now.getTime() - ROLLUP_LAG_MS)));
  const result = (until: number) => ({ from: new Date(start), until: new Date(until) });
  if (end <= start) return result(start);

  const firstMissing = async (tx: Sql) => {
    const [row] = await tx<{ hour: Date | null }[]>`
      SELECT min(h) AS hour FROM generate_series(${new Date(start)}::timestamptz, ${new Date(end - HOUR_MS)}::timestamptz, interval '1 hour') AS h
      WHERE NOT EXISTS (SELECT 1 FROM stats_rollup_hours r WHERE r.hour = h)`;
    return row?.hour?.getTime() ?? null;
  };
  const missing = await firstMissing(sql);
  if (missing === null) return result(end);

  try {
    const done = await sql.begin(async (transaction) => {
      const tx = transaction as unknown as Sql;
      const [lock] = await tx<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK_KEY.toString()}::bigint) AS locked`;
      if (!lock?.locked) return false;
      const from = new Date(missing);
      const to = new Date(end);
      const hours = tx`SELECT h FROM generate_series(${from}::timestamptz, ${new Date(end - HOUR_MS)}::timestamptz, interval '1 hour') AS h
                       WHERE NOT EXISTS (SELECT 1 FROM stats_rollup_hours r WHERE r.hour = h)`;
      await tx`SELECT set_config('work_mem', '64MB', true)`;
      await tx`
        INSERT INTO source_hour_stats (source_id, hour, received, accepted, rejected, duplicates)
        SELECT source_id, date_bin('1 hour', minute, ${EPOCH}::timestamptz), sum(received), sum(accepted), sum(rejected), sum(duplicates)
        FROM source_minute_stats
        WHERE minute >= ${from} AND minute < ${to} AND date_bin('1 hour', minute, ${EPOCH}::timestamptz) IN (${hours})
        GROUP BY 1, 2
        ON CONFLICT (source_id, hour) DO UPDATE SET
          received = excluded.received, accepted = excluded.accepted, rejected = excluded.rejected, duplicates = excluded.duplicates`;
      await tx`
        INSERT INTO destination_hour_stats (destination_id, hour, attempts, succeeded, failed, exhausted, latency_ms_sum, latency_hist)
        SELECT destination_id, date_bin('1 hour', minute, ${EPOCH}::timestamptz), sum(attempts), sum(succeeded), sum(failed), sum(exhausted), sum(latency_ms_sum),
               ${tx.unsafe(SUMMED_HISTOGRAM_SQL)}
        FROM destination_minute_stats
        WHERE minute >= ${from} AND minute < ${to} AND date_bin('1 hour', minute, ${EPOCH}::timestamptz) IN (${hours})
        GROUP BY 1, 2
        ON CONFLICT (destination_id, hour) DO UPDATE SET
          attempts = excluded.attempts, succeeded = excluded.succeeded, failed = excluded.failed, exhausted = excluded.exhausted,
          latency_ms_sum = excluded.latency_ms_sum, latency_hist = excluded.latency_hist`;
      // The minute counters' retention, applied to their sums.
      const cutoff = new Date(now.getTime() - Math.max(MIN_STATS_RETENTION_DAYS, retentionDaysFromEnv()) * 86_400_000);
      // The hours summed just now, added once to the running totals that /api/metrics reports
      // (lib/prometheus/deployment-figures.ts). Not an hour older than the cutoff: its summed mark is
      // deleted below, so it could be summed again.
      await addToCounterTotals(tx, hours, cutoff);
      await tx`INSERT INTO stats_rollup_hours (hour) ${hours} ON CONFLICT (hour) DO NOTHING`;

      await tx`DELETE FROM source_hour_stats WHERE hour < ${cutoff}`;
      await tx`DELETE FROM destination_hour_stats WHERE hour < ${cutoff}`;
      await tx`DELETE FROM stats_rollup_hours WHERE hour < ${cutoff}`;
      return true;
    });
    if (done) return result(end);
  } catch (error) {
    logger.warn({ err: error }, 'could not sum counters into hours; the overview reads minutes');
  }
  return result(missing);
}
