/**
 * The running totals behind /api/metrics' counters (source_counter_totals,
 * destination_counter_totals): every hour summed into *_hour_stats is added to them once, in the
 * transaction that sums it and marks it in stats_rollup_hours. A counter then reads one total row
 * plus the minutes of the hours not summed yet (lib/prometheus/deployment-figures.ts), and neither
 * retention deleting old minute and hour rows nor a restart of any process makes it go backwards.
 */
import type postgres from 'postgres';
import type { Sql } from '@/lib/db/sql';
import { LATENCY_BUCKETS_MS } from '@/lib/metrics/latency-buckets';

const SLOTS = LATENCY_BUCKETS_MS.length + 1;
const slotSum = (table: string) =>
  `ARRAY[${Array.from({ length: SLOTS }, (_, i) => `COALESCE(sum(${table}.latency_hist[${i + 1}]), 0)`).join(', ')}]::bigint[]`;
/** Two histograms added slot by slot; an empty (or shorter) array counts as zeros. */
const addHistograms = (a: string, b: string) =>
  `ARRAY[${Array.from({ length: SLOTS }, (_, i) => `COALESCE(${a}[${i + 1}], 0) + COALESCE(${b}[${i + 1}], 0)`).join(', ')}]::bigint[]`;

/**
 * Adds the hour rows of `hours` (a query yielding the hours summed in this transaction, before
 * they are marked) to the totals; hours before `cutoff` are left out, since their summed mark is
 * deleted by retention and they could be summed again.
 */
export async function addToCounterTotals(tx: Sql, hours: postgres.PendingQuery<postgres.Row[]>, cutoff: Date): Promise<void> {
  await tx`
    INSERT INTO source_counter_totals AS t (source_id, received, accepted, rejected, duplicates)
    SELECT source_id, sum(received), sum(accepted), sum(rejected), sum(duplicates)
    FROM source_hour_stats WHERE hour IN (${hours}) AND hour >= ${cutoff}
    GROUP BY source_id
    ON CONFLICT (source_id) DO UPDATE SET
      received = t.received + excluded.received, accepted = t.accepted + excluded.accepted,
      rejected = t.rejected + excluded.rejected, duplicates = t.duplicates + excluded.duplicates`;
  await tx`
    INSERT INTO destination_counter_totals AS t (destination_id, attempts, succeeded, failed, exhausted, latency_ms_sum, latency_hist)
    SELECT destination_id, sum(attempts), sum(succeeded), sum(failed), sum(exhausted), sum(latency_ms_sum), ${tx.unsafe(slotSum('h'))}
    FROM destination_hour_stats h WHERE hour IN (${hours}) AND hour >= ${cutoff}
    GROUP BY destination_id
    ON CONFLICT (destination_id) DO UPDATE SET
      attempts = t.attempts + excluded.attempts, succeeded = t.succeeded + excluded.succeeded, failed = t.failed + excluded.failed,
      exhausted = t.exhausted + excluded.exhausted, latency_ms_sum = t.latency_ms_sum + excluded.latency_ms_sum,
      latency_hist = ${tx.unsafe(addHistograms('t.latency_hist', 'excluded.latency_hist'))}`;
}
