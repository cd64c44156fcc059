/**
 * How each destination is doing, for the destinations pages: success rate and latency
 * percentiles over the last 24 hours from `destination_minute_stats` (counters plus the merged
 * latency histogram, never a scan of attempts), and the backlog of deliveries not yet sent.
 */
import { db } from '@/lib/db/prisma';
import { sql } from '@/lib/db/sql';
import { countAwaitingReplayByDestination } from '@/lib/deliveries/awaiting-replay';
import { LATENCY_BUCKETS_MS, percentileFromHistogram } from '@/lib/metrics/latency-buckets';

export const HEALTH_WINDOW_HOURS = 24;
const HOUR_MS = 3_600_000;

export interface DestinationBacklog {
  /** Waiting for their (next) attempt. */
  pending: number;
  /** Being sent right now. */
  inFlight: number;
  /** Held while the destination is paused. */
  paused: number;
  /** Failed and waiting for a replay (lib/deliveries/awaiting-replay.ts): the failed queue's count. */
  failed: number;
  /** pending + in flight + paused: what still has to go out. */
  total: number;
  /** A count reached BACKLOG_COUNT_CAP: show it as "100,000+". */
  capped: boolean;
}

/** Counts stop here, so that the page stays fast whatever the backlog. */
export const BACKLOG_COUNT_CAP = 100_000;

export interface DestinationHealth {
  attempts: number;
  succeeded: number;
  failed: number;
  /** Deliveries whose retry schedule ran out in the window. */
  exhausted: number;
  /** succeeded / attempts, or null without attempts. */
  successRate: number | null;
  /** Upper bound (ms) of the histogram bucket holding the percentile; null without attempts. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** Mean attempt duration, or null without attempts. */
  averageMs: number | null;
  /** Merged histogram, one count per bucket of LATENCY_BUCKETS_MS plus the overflow bucket. */
  latencyHistogram: number[];
  /** Attempts per hour (oldest first) and failed attempts per hour, for a sparkline. */
  hourlyAttempts: number[];
  hourlyFailures: number[];
  backlog: DestinationBacklog;
}

const emptyBacklog = (): DestinationBacklog => ({ pending: 0, inFlight: 0, paused: 0, failed: 0, total: 0, capped: false });

export const emptyDestinationHealth = (): DestinationHealth => ({
  attempts: 0,
  succeeded: 0,
  failed: 0,
  exhausted: 0,
  successRate: null,
  p50Ms: null,
  p95Ms: null,
  averageMs: null,
  latencyHistogram: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
  hourlyAttempts: new Array<number>(HEALTH_WINDOW_HOURS).fill(0),
  hourlyFailures: new Array<number>(HEALTH_WINDOW_HOURS).fill(0),
  backlog: emptyBacklog(),
});

interface HourRow {
  destination_id: string;
  bucket: number;
  attempts: number;
  succeeded: number;
  failed: number;
  exhausted: number;
  latency_ms_sum: number;
  /** The hour's histograms summed bucket by bucket. */
  hist: number[] | null;
}

interface BacklogRow {
  destination_id: string;
  status: 'pending' | 'in_flight' | 'paused';
  count: number;
}

/**
 * Health of the given destinations (all when `destinationIds` is absent). Two grouped queries:
 * the minute stats of the window per destination and hour (histograms merged element-wise in
 * SQL), and delivery counts per destination and status over the `(destination_id, status, …)`
 * index, each bounded by BACKLOG_COUNT_CAP. Every destination asked for is in the map, with zeros when it has no traffic.
 */
export async function loadDestinationHealth(options: { destinationIds?: string[]; now?: Date } = {}): Promise<Map<string, DestinationHealth>> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - HEALTH_WINDOW_HOURS * HOUR_MS);
  const ids = options.destinationIds ?? null;
  const health = new Map<string, DestinationHealth>((ids ?? []).map((id) => [id, emptyDestinationHealth()]));
  if (ids && ids.length === 0) return health;

  const [hours, backlog, awaitingReplay] = await Promise.all([
    db().$queryRaw<HourRow[]>`
      WITH window_rows AS (
        SELECT destination_id, minute, attempts, succeeded, failed, exhausted, latency_ms_sum, latency_hist,
               LEAST(${HEALTH_WINDOW_HOURS - 1}::int, floor(extract(epoch FROM (minute - ${since}::timestamptz)) / 3600)::int) AS bucket
          FROM destination_minute_stats
         WHERE minute >= date_trunc('minute', ${since}::timestamptz) AND minute <= ${now}::timestamptz
           AND (${ids}::uuid[] IS NULL OR destination_id = ANY(${ids}::uuid[]))
      ),
      counters AS (
        SELECT destination_id, bucket, sum(attempts)::float8 AS attempts, sum(succeeded)::float8 AS succeeded,
               sum(failed)::float8 AS failed, sum(exhausted)::float8 AS exhausted, sum(latency_ms_sum)::float8 AS latency_ms_sum
          FROM window_rows GROUP BY destination_id, bucket
      ),
      histograms AS (
        SELECT destination_id, bucket, array_agg(total ORDER BY position) AS hist
          FROM (SELECT w.destination_id, w.bucket, h.position, sum(h.count)::int AS total
                  FROM window_rows w, unnest(w.latency_hist) WITH ORDINALITY AS h(count, position)
                 GROUP BY 1, 2, 3) AS per_bucket
         GROUP BY destination_id, bucket
      )
      SELECT c.destination_id::text AS destination_id, c.bucket, c.attempts, c.succeeded, c.failed, c.exhausted, c.latency_ms_sum, h.hist
        FROM counters c LEFT JOIN histograms h USING (destination_id, bucket)`,
    // Bounded per (destination, status) so that a destination with a million failed deliveries
    // costs a bounded index scan, not a count of them all.
    db().$queryRaw<BacklogRow[]>`
      SELECT d.id::text AS destination_id, s.status,
             (SELECT count(*) FROM (SELECT 1 FROM deliveries x
                                     WHERE x.destination_id = d.id
                                       AND x.status = (CASE s.status WHEN 'paused' THEN 'pending' ELSE s.status END)::"DeliveryStatus"
                                       -- paused is derived: the pending deliveries of a paused destination
                                       AND (s.status NOT IN ('pending', 'paused') OR (s.status = 'paused') = (d.status = 'paused'))
                                     LIMIT ${BACKLOG_COUNT_CAP + 1}::int) AS capped)::float8 AS count
        FROM destinations d
       CROSS JOIN unnest(ARRAY['pending', 'in_flight', 'paused']) AS s(status)
       WHERE ${ids}::uuid[] IS NULL OR d.id = ANY(${ids}::uuid[])`,
    // Failed means waiting for a replay, counted by the one definition the overview and the failed queue use.
    countAwaitingReplayByDestination(sql(), { destinationIds: ids, cap: BACKLOG_COUNT_CAP + 1 }),
  ]);

  const entry = (id: string) => {
    let value = health.get(id);
    if (!value) {
      value = emptyDestinationHealth();
      health.set(id, value);
    }
    return value;
  };
  const latencySums = new Map<string, number>();
  for (const row of hours) {
    const value = entry(row.destination_id);
    value.attempts += row.attempts;
    value.succeeded += row.succeeded;
    value.failed += row.failed;
    value.exhausted += row.exhausted;
    const bucket = Math.max(0, row.bucket);
    value.hourlyAttempts[bucket] = (value.hourlyAttempts[bucket] ?? 0) + row.attempts;
    value.hourlyFailures[bucket] = (value.hourlyFailures[bucket] ?? 0) + row.failed;
    latencySums.set(row.destination_id, (latencySums.get(row.destination_id) ?? 0) + row.latency_ms_sum);
    (row.hist ?? []).forEach((count, index) => {
      if (index < value.latencyHistogram.length) value.latencyHistogram[index] = (value.latencyHistogram[index] ?? 0) + count;
    });
  }
  for (const [id, value] of health) {
    if (value.attempts === 0) continue;
    value.successRate = value.succeeded / value.attempts;
    value.p50Ms = percentileFromHistogram(value.latencyHistogram, 0.5);
    value.p95Ms = percentileFromHistogram(value.latencyHistogram, 0.95);
    value.averageMs = (latencySums.get(id) ?? 0) / value.attempts;
  }
  for (const row of backlog) {
    const value = entry(row.destination_id).backlog;
    const count = Math.min(row.count, BACKLOG_COUNT_CAP);
    if (row.count > BACKLOG_COUNT_CAP) value.capped = true;
    if (row.status === 'in_flight') value.inFlight = count;
    else value[row.status] = count;
    value.total = value.pending + value.inFlight + value.paused;
  }
  for (const [id, count] of awaitingReplay) {
    const value = entry(id).backlog;
    value.failed = Math.min(count, BACKLOG_COUNT_CAP);
    if (count > BACKLOG_COUNT_CAP) value.capped = true;
  }
  return health;
}

/** "≤ 250 ms", "> 30 s": how a histogram bound reads (percentiles are bucket upper bounds). */
export function formatLatencyBound(ms: number | null): string {
  if (ms === null) return '–';
  const last = LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]!;
  if (ms > last) return `> ${last / 1000} s`;
  return ms >= 1000 ? `≤ ${ms / 1000} s` : `≤ ${ms} ms`;
}
