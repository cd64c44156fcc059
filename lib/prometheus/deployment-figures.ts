/**
 * What one scrape of /api/metrics reports, read from the database, so one scrape of any web
 * process describes the whole deployment: every web process's ingest counts and every worker's
 * attempts land in the same per-minute tables, and the queue, circuits, alerts and heartbeats are
 * rows. Nothing here comes from this process's memory. docs/observability.md.
 *
 * Counters are the running totals of the hours already summed (source_counter_totals,
 * destination_counter_totals, lib/overview/counter-totals.ts) plus the minutes of the hours not
 * summed yet: the scrape first sums any hour that ended ROLLUP_LAG_MS ago (ensureHourRollups, a
 * no-op when they are summed, as it nearly always is), then reads both in one REPEATABLE READ
 * snapshot, so an hour summed by another process meanwhile is counted once. What it reads:
 *  - one totals row per source and destination;
 *  - the minute rows of the unsummed hours (about the last 75 minutes: ~75 rows per source or
 *    destination that was busy), through the `minute` index;
 *  - pending and in-flight deliveries through `deliveries (status, created_at)`: the cost grows
 *    with the backlog, never with the history (a million delivered events cost nothing);
 *  - destinations, sources, unresolved alerts and live workers (small tables).
 * Measured in tests/integration/metrics-scale.test.ts.
 */
import { ALERT_KINDS, type AlertKind } from '@/lib/alerts/alerts.schema';
import type { Sql } from '@/lib/db/sql';
import { LATENCY_BUCKETS_MS } from '@/lib/metrics/latency-buckets';
import { ensureHourRollups } from '@/lib/overview/hour-rollups';
import { MIN_STATS_RETENTION_DAYS, retentionDaysFromEnv } from '@/lib/worker/retention';
import { WORKER_GONE_AFTER_MS } from '@/lib/worker/worker-registry';

export interface SourceFigures {
  /** The source's slug: unique, and what the provider's URL says. */
  label: string;
  received: number;
  accepted: number;
  rejected: number;
  duplicates: number;
}

export interface DestinationFigures {
  /** The destination's name; names can repeat, so a repeated one gets its id's last 8 characters. */
  label: string;
  attempts: number;
  succeeded: number;
  failed: number;
  exhausted: number;
  latencySeconds: number;
  /** Attempts per latency bucket (LATENCY_BUCKETS_MS; the last slot is everything slower), not cumulative. */
  latencyHist: number[];
  /** Deliveries not finished: pending (held by a circuit or a pause included) or in flight. */
  pending: number;
  /** Age of the oldest of those, 0 when none. */
  oldestPendingSeconds: number;
  /** The circuit is open or half-open: nothing goes out but probes. */
  circuitOpen: boolean;
}

export interface DeploymentFigures {
  sources: SourceFigures[];
  destinations: DestinationFigures[];
  /** Unresolved (open or acknowledged) alerts per kind, every kind present. */
  alertsOpen: Record<AlertKind, number>;
  workersLive: number;
}

const SLOTS = LATENCY_BUCKETS_MS.length + 1;
const EPOCH = '1970-01-01 00:00:00+00';
const slotSums = `ARRAY[${Array.from({ length: SLOTS }, (_, i) => `COALESCE(sum(mm.latency_hist[${i + 1}]), 0)`).join(', ')}]::float8[]`;

/** Minute rows of hours not summed into the totals yet, from `since` (the summed stretch's end). */
const unsummed = (tx: Sql, since: Date) =>
  tx`mm.minute >= ${since} AND NOT EXISTS (SELECT 1 FROM stats_rollup_hours r WHERE r.hour = date_bin('1 hour', mm.minute, ${EPOCH}::timestamptz))`;

function addSlots(a: readonly number[] | null, b: readonly number[] | null): number[] {
  return Array.from({ length: SLOTS }, (_, i) => (a?.[i] ?? 0) + (b?.[i] ?? 0));
}

function uniqueLabels<T extends { id: string; name: string }>(rows: T[]): Map<string, string> {
  const seen = new Map<string, number>();
  for (const row of rows) seen.set(row.name, (seen.get(row.name) ?? 0) + 1);
  return new Map(rows.map((row) => [row.id, (seen.get(row.name) ?? 0) > 1 ? `${row.name} (${row.id.slice(-8)})` : row.name]));
}

export async function loadDeploymentFigures(sql: Sql, now = new Date()): Promise<DeploymentFigures> {
  const statsDays = Math.max(MIN_STATS_RETENTION_DAYS, retentionDaysFromEnv());
  const { until } = await ensureHourRollups(sql, { from: new Date(now.getTime() - statsDays * 86_400_000), to: now }, now);

  return (await sql.begin('isolation level repeatable read read only', async (transaction) => {
    const tx = transaction as unknown as Sql;
    const sources = await tx<{ slug: string; received: number; accepted: number; rejected: number; duplicates: number }[]>`
      SELECT s.slug,
             (COALESCE(t.received, 0) + COALESCE(m.received, 0))::float8 AS received,
             (COALESCE(t.accepted, 0) + COALESCE(m.accepted, 0))::float8 AS accepted,
             (COALESCE(t.rejected, 0) + COALESCE(m.rejected, 0))::float8 AS rejected,
             (COALESCE(t.duplicates, 0) + COALESCE(m.duplicates, 0))::float8 AS duplicates
      FROM sources s
      LEFT JOIN source_counter_totals t ON t.source_id = s.id
      LEFT JOIN (
        SELECT source_id, sum(received) AS received, sum(accepted) AS accepted, sum(rejected) AS rejected, sum(duplicates) AS duplicates
        FROM source_minute_stats mm WHERE ${unsummed(tx, until)} GROUP BY source_id
      ) m ON m.source_id = s.id
      ORDER BY s.slug`;

    const destinations = await tx<
      {
        id: string;
        name: string;
        circuit_open: boolean;
        attempts: number;
        succeeded: number;
        failed: number;
        exhausted: number;
        latency_ms_sum: number;
        total_hist: number[] | null;
        minute_hist: number[] | null;
        pending: number | null;
        oldest_seconds: number | null;
      }[]
    >`
      SELECT d.id, d.name, d.circuit_state <> 'closed' AS circuit_open,
             (COALESCE(t.attempts, 0) + COALESCE(m.attempts, 0))::float8 AS attempts,
             (COALESCE(t.succeeded, 0) + COALESCE(m.succeeded, 0))::float8 AS succeeded,
             (COALESCE(t.failed, 0) + COALESCE(m.failed, 0))::float8 AS failed,
             (COALESCE(t.exhausted, 0) + COALESCE(m.exhausted, 0))::float8 AS exhausted,
             (COALESCE(t.latency_ms_sum, 0) + COALESCE(m.latency_ms_sum, 0))::float8 AS latency_ms_sum,
             t.latency_hist::float8[] AS total_hist, m.hist AS minute_hist,
             q.pending, q.oldest_seconds
      FROM destinations d
      LEFT JOIN destination_counter_totals t ON t.destination_id = d.id
      LEFT JOIN (
        SELECT destination_id, sum(attempts) AS attempts, sum(succeeded) AS succeeded, sum(failed) AS failed, sum(exhausted) AS exhausted,
               sum(latency_ms_sum) AS latency_ms_sum, ${tx.unsafe(slotSums)} AS hist
        FROM destination_minute_stats mm WHERE ${unsummed(tx, until)} GROUP BY destination_id
      ) m ON m.destination_id = d.id
      LEFT JOIN (
        SELECT destination_id, count(*)::float8 AS pending, GREATEST(0, extract(epoch FROM now() - min(created_at)))::float8 AS oldest_seconds
        FROM deliveries WHERE status IN ('pending', 'in_flight') GROUP BY destination_id
      ) q ON q.destination_id = d.id
      ORDER BY d.name, d.id`;

    const alerts = await tx<{ kind: string; open: number }[]>`
      SELECT kind::text AS kind, count(*)::int AS open FROM alerts WHERE status <> 'resolved' GROUP BY kind`;
    const [workers] = await tx<{ live: number }[]>`
      SELECT count(*)::int AS live FROM workers
      WHERE stopped_at IS NULL AND heartbeat_at > now() - make_interval(secs => ${WORKER_GONE_AFTER_MS / 1000})`;

    const labels = uniqueLabels(destinations);
    const alertsOpen = Object.fromEntries(ALERT_KINDS.map((kind) => [kind, 0])) as Record<AlertKind, number>;
    for (const row of alerts) if ((ALERT_KINDS as readonly string[]).includes(row.kind)) alertsOpen[row.kind as AlertKind] = row.open;

    return {
      sources: sources.map((row) => ({ label: row.slug, received: row.received, accepted: row.accepted, rejected: row.rejected, duplicates: row.duplicates })),
      destinations: destinations.map((row) => ({
        label: labels.get(row.id) ?? row.name,
        attempts: row.attempts,
        succeeded: row.succeeded,
        failed: row.failed,
        exhausted: row.exhausted,
        latencySeconds: row.latency_ms_sum / 1000,
        latencyHist: addSlots(row.total_hist, row.minute_hist),
        pending: row.pending ?? 0,
        oldestPendingSeconds: row.oldest_seconds ?? 0,
        circuitOpen: row.circuit_open,
      })),
      alertsOpen,
      workersLive: workers?.live ?? 0,
    };
  })) as DeploymentFigures;
}
