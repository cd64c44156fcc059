/**
 * Per-destination, per-minute delivery counters and latency histograms for the charts, counted
 * in memory and upserted once a second, off the send path (like lib/ingest/ingest-stats.ts).
 */
import { sql } from '@/lib/db/sql';
import { BufferedFlusher } from '@/lib/db/buffered-flusher';
import { bucketIndex, emptyHistogram } from '@/lib/metrics/latency-buckets';

interface Sample {
  destinationId: string;
  minute: number;
  succeeded: boolean;
  exhausted: boolean;
  latencyMs: number;
}

async function write(samples: Sample[]): Promise<void> {
  const rows = new Map<
    string,
    { destinationId: string; minute: number; attempts: number; succeeded: number; failed: number; exhausted: number; sum: number; hist: number[] }
  >();
  for (const s of samples) {
    const key = `${s.destinationId}|${s.minute}`;
    const row = rows.get(key) ?? {
      destinationId: s.destinationId,
      minute: s.minute,
      attempts: 0,
      succeeded: 0,
      failed: 0,
      exhausted: 0,
      sum: 0,
      hist: emptyHistogram(),
    };
    row.attempts++;
    if (s.succeeded) row.succeeded++;
    else row.failed++;
    if (s.exhausted) row.exhausted++;
    row.sum += s.latencyMs;
    row.hist[bucketIndex(s.latencyMs)]!++;
    rows.set(key, row);
  }
  const list = [...rows.values()].sort((a, b) => (a.destinationId + a.minute < b.destinationId + b.minute ? -1 : 1));
  await sql()`
    INSERT INTO destination_minute_stats (destination_id, minute, attempts, succeeded, failed, exhausted, latency_ms_sum, latency_hist)
    SELECT d, to_timestamp(m / 1000.0), a, s, f, x, l, string_to_array(h, ',')::int[]
    FROM unnest(${list.map((r) => r.destinationId)}::uuid[], ${list.map((r) => r.minute)}::bigint[], ${list.map((r) => r.attempts)}::int[],
                ${list.map((r) => r.succeeded)}::int[], ${list.map((r) => r.failed)}::int[], ${list.map((r) => r.exhausted)}::int[],
                ${list.map((r) => r.sum)}::bigint[], ${list.map((r) => r.hist.join(','))}::text[]) AS t(d, m, a, s, f, x, l, h)
    ON CONFLICT (destination_id, minute) DO UPDATE SET
      attempts = destination_minute_stats.attempts + excluded.attempts,
      succeeded = destination_minute_stats.succeeded + excluded.succeeded,
      failed = destination_minute_stats.failed + excluded.failed,
      exhausted = destination_minute_stats.exhausted + excluded.exhausted,
      latency_ms_sum = destination_minute_stats.latency_ms_sum + excluded.latency_ms_sum,
      latency_hist = CASE
        WHEN cardinality(destination_minute_stats.latency_hist) = 0 THEN excluded.latency_hist
        ELSE (SELECT array_agg(a + b ORDER BY i) FROM unnest(destination_minute_stats.latency_hist, excluded.latency_hist) WITH ORDINALITY AS u(a, b, i))
      END`;
}

const globalStats = globalThis as unknown as { hookyardDeliveryStats?: BufferedFlusher<Sample> };

function flusher(): BufferedFlusher<Sample> {
  globalStats.hookyardDeliveryStats ??= new BufferedFlusher('delivery-stats', 1000, write, 200_000);
  return globalStats.hookyardDeliveryStats;
}

export function countAttempt(sample: Omit<Sample, 'minute'>, at = Date.now()): void {
  flusher().add({ ...sample, minute: Math.floor(at / 60_000) * 60_000 });
}

export function flushDeliveryStats(): Promise<void> {
  return flusher().flush();
}
