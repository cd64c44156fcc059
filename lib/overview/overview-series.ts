/**
 * The overview charts' series, read only from the per-minute counter tables
 * (`source_minute_stats`, `destination_minute_stats`) and their hourly sums, never from events: a
 * 30-day chart reads 720 hour rows per source or destination (hour-rollups.ts) and the minutes of
 * the last hour or so, however many events arrived. Shorter ranges read minutes.
 *
 * SQL: each table is read with one statement per request part. Minutes are folded into points with
 * `date_bin` (origin: the Unix epoch, like `overviewWindow`), and the range is a plain
 * `minute >= from AND minute < to`, so Postgres uses the `(minute)` index for the whole fleet, or
 * the primary key `(id, minute)` for one source or destination (hour sums: `(hour)`, `(id, hour)`,
 * in the same statement with UNION ALL). The destination statement also
 * returns per-destination totals from the same scan (GROUPING SETS), which feed "failing most".
 * Latency histograms are merged by summing each slot (`sum(latency_hist[i])`), an aggregate over
 * fixed positions that is much cheaper than unnesting every array; percentiles are then read off
 * the merged histogram with `percentileFromHistogram` (exact to the bucket bound).
 *
 * Closed minutes never change: the counters are flushed about a second after their minute ends.
 * So each process keeps the folded sums of a window's closed part ("sealed", older than
 * SEAL_LAG_MS) and reads only what is new since its last request plus the last few live minutes.
 * A 30-day overview then reads a handful of rows instead of thousands of hour sums; the full read
 * happens once per point width (when the window slides) or after SEALED_TTL_MS, which also picks
 * up any late write (a counter flush retried after a database outage), and after any
 * configuration change: deleting a source or a destination deletes its counters (cascade), and
 * every process hears of it on the configuration channel, as its configuration caches do. The
 * cache is only a cache: every process can rebuild it from the tables, and a cold read is still
 * index-friendly SQL.
 */
import type postgres from 'postgres';
import { CONFIG_CHANNEL } from '@/lib/db/channels';
import { type Sql, sql as defaultSql } from '@/lib/db/sql';
import { logger } from '@/lib/log/logger';
import { LATENCY_BUCKETS_MS, percentileFromHistogram } from '@/lib/metrics/latency-buckets';
import { ensureHourRollups, HOUR_MS } from './hour-rollups';
import { type OverviewQuery, type OverviewRange, overviewWindow } from './overview.schema';

const HISTOGRAM_SLOTS = LATENCY_BUCKETS_MS.length + 1;
const EPOCH = '1970-01-01 00:00:00+00';
const MINUTE_MS = 60_000;
/** A minute is sealed once it ended this long ago: its counters were flushed (1 s) with margin for clock skew. */
export const SEAL_LAG_MS = 2 * MINUTE_MS;
/** A sealed part is rebuilt from scratch after this long. */
const SEALED_TTL_MS = 60 * MINUTE_MS;
const MAX_CACHED_WINDOWS = 256;

/** `ARRAY[COALESCE(sum(latency_hist[1]), 0), …]`: built from a constant, never from input. */
const MERGED_HISTOGRAM_SQL = `ARRAY[${Array.from({ length: HISTOGRAM_SLOTS }, (_, i) => `COALESCE(sum(latency_hist[${i + 1}]), 0)`).join(', ')}]::float8[]`;

export interface OverviewPoint {
  /** Start of the point's bucket (ISO 8601, UTC). */
  time: string;
  received: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  /** Delivery attempts, and how they ended. */
  attempts: number;
  succeeded: number;
  failed: number;
  /** Deliveries that exhausted their retry schedule. */
  exhausted: number;
  /** Failed attempts in percent of attempts; null without attempts. */
  errorRate: number | null;
  /** Upper bound (ms) of the latency bucket holding the 50th / 95th percentile; null without attempts. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface OverviewTotals extends Omit<OverviewPoint, 'time'> {
  /** Rejected requests in percent of received ones; null without requests. */
  rejectionRate: number | null;
  avgLatencyMs: number | null;
}

export interface FailingDestination {
  id: string;
  name: string;
  status: string;
  attempts: number;
  failed: number;
  exhausted: number;
  /** Failed attempts in percent of this destination's attempts in the range. */
  errorRate: number;
}

export interface OverviewSeries {
  range: OverviewRange;
  bucketMs: number;
  from: string;
  to: string;
  points: OverviewPoint[];
  totals: OverviewTotals;
  /** The destinations with the most failed attempts in the range (top 5, only those with failures). */
  failingDestinations: FailingDestination[];
}

interface SourceSums {
  received: number;
  accepted: number;
  rejected: number;
  duplicates: number;
}

interface DestinationSums {
  attempts: number;
  succeeded: number;
  failed: number;
  exhausted: number;
  latencySum: number;
  hist: number[];
}

interface DestinationTotals {
  attempts: number;
  failed: number;
  exhausted: number;
}

/** Counters folded into points (keyed by bucket start, epoch ms) and per-destination totals. */
interface Folded {
  sources: Map<number, SourceSums>;
  destinations: Map<number, DestinationSums>;
  perDestination: Map<string, DestinationTotals>;
}

interface Scope {
  sourceId?: string;
  destinationId?: string;
}

interface Span {
  from: Date;
  to: Date;
  bucketMs: number;
}

const emptyFolded = (): Folded => ({ sources: new Map(), destinations: new Map(), perDestination: new Map() });

function addHistogram(target: number[], add: readonly number[]): number[] {
  const out = target.slice();
  for (let i = 0; i < HISTOGRAM_SLOTS; i++) out[i] = (out[i] ?? 0) + (add[i] ?? 0);
  return out;
}

/** a + b as a new value: cached parts are shared between requests and never mutated. */
function mergeFolded(a: Folded, b: Folded): Folded {
  const sources = new Map(a.sources);
  for (const [bucket, sums] of b.sources) {
    const prev = sources.get(bucket);
    sources.set(
      bucket,
      prev
        ? {
            received: prev.received + sums.received,
            accepted: prev.accepted + sums.accepted,
            rejected: prev.rejected + sums.rejected,
            duplicates: prev.duplicates + sums.duplicates,
          }
        : sums,
    );
  }
  const destinations = new Map(a.destinations);
  for (const [bucket, sums] of b.destinations) {
    const prev = destinations.get(bucket);
    destinations.set(
      bucket,
      prev
        ? {
            attempts: prev.attempts + sums.attempts,
            succeeded: prev.succeeded + sums.succeeded,
            failed: prev.failed + sums.failed,
            exhausted: prev.exhausted + sums.exhausted,
            latencySum: prev.latencySum + sums.latencySum,
            hist: addHistogram(prev.hist, sums.hist),
          }
        : sums,
    );
  }
  const perDestination = new Map(a.perDestination);
  for (const [id, totals] of b.perDestination) {
    const prev = perDestination.get(id);
    perDestination.set(
      id,
      prev ? { attempts: prev.attempts + totals.attempts, failed: prev.failed + totals.failed, exhausted: prev.exhausted + totals.exhausted } : totals,
    );
  }
  return { sources, destinations, perDestination };
}

/** postgres.js hands arrays over as Postgres text (`{1,2,3}`) unless it loaded the array types first. */
function parseNumberArray(value: number[] | string): number[] {
  if (Array.isArray(value)) return value.map(Number);
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map(Number);
}

/**
 * The planner guesses the number of `date_bin` groups from the distinct minutes (tens of thousands
 * instead of at most 168) and then sorts hundreds of thousands of rows on disk rather than hashing
 * a few hundred groups. A little more memory, for this statement only, gets the hash plan.
 */
async function withHashMemory<T>(sql: Sql, run: (tx: Sql) => Promise<T>): Promise<T> {
  return (await sql.begin(async (tx) => {
    await tx`SELECT set_config('work_mem', '64MB', true)`;
    return run(tx as unknown as Sql);
  })) as T;
}

/**
 * The rows of one counter table pair in [from, to): hour sums where `hours` says they exist, the
 * minutes before and after them; each part a plain range on its table's time index.
 */
function counterRows(
  tx: Sql,
  span: Span,
  hours: { from: Date; until: Date } | null,
  table: { minutes: string; hours: string; id: string; scopeId: string | undefined; columns: string },
): postgres.Fragment {
  const scope = table.scopeId ? tx`AND ${tx(table.id)} = ${table.scopeId}::uuid` : tx``;
  const columns = tx.unsafe(table.columns);
  const minutes = (from: Date, to: Date) =>
    tx`SELECT minute AS at, ${tx(table.id)}, ${columns} FROM ${tx(table.minutes)} WHERE minute >= ${from} AND minute < ${to} ${scope}`;
  if (!hours || hours.until <= hours.from) return minutes(span.from, span.to);
  const parts = [tx`SELECT hour AS at, ${tx(table.id)}, ${columns} FROM ${tx(table.hours)} WHERE hour >= ${hours.from} AND hour < ${hours.until} ${scope}`];
  if (span.from < hours.from) parts.push(minutes(span.from, hours.from));
  if (hours.until < span.to) parts.push(minutes(hours.until, span.to));
  return parts.slice(1).reduce((all, part) => tx`${all} UNION ALL ${part}`, parts[0]!);
}

/**
 * Both tables' counters in [from, to), folded by bucket: two statements, run at the same time.
 * With `rollups`, a span of hour-wide points reads the closed hours' sums (hour-rollups.ts).
 */
async function readCounters(sql: Sql, span: Span, scope: Scope, options: { rollups: boolean; now: Date }): Promise<Folded> {
  const interval = `${span.bucketMs / 1000} seconds`;
  const hours =
    options.rollups && span.bucketMs >= HOUR_MS && span.to.getTime() - span.from.getTime() >= 2 * HOUR_MS
      ? await ensureHourRollups(sql, span, options.now)
      : null;
  // Many minutes (over six hours of them) take a little more memory to hash (withHashMemory); hour sums do not.
  const minutesRead = span.to.getTime() - span.from.getTime() - (hours ? hours.until.getTime() - hours.from.getTime() : 0);
  const large = minutesRead > 6 * 60 * MINUTE_MS;
  const run = <T>(statement: (tx: Sql) => Promise<T>) => (large ? withHashMemory(sql, statement) : statement(sql));
  const [sourceRows, destinationRows] = await Promise.all([
    run(
      (tx) => tx<({ bucket: Date } & SourceSums)[]>`
      SELECT date_bin(${interval}::interval, at, ${EPOCH}::timestamptz) AS bucket,
             sum(received)::float8 AS received, sum(accepted)::float8 AS accepted,
             sum(rejected)::float8 AS rejected, sum(duplicates)::float8 AS duplicates
      FROM (${counterRows(tx, span, hours, { minutes: 'source_minute_stats', hours: 'source_hour_stats', id: 'source_id', scopeId: scope.sourceId, columns: 'received, accepted, rejected, duplicates' })}) s
      GROUP BY 1`,
    ),
    run(
      (tx) => tx<
        {
          bucket: Date | null;
          destination_id: string | null;
          attempts: number;
          succeeded: number;
          failed: number;
          exhausted: number;
          latency_sum: number;
          hist: number[] | string;
        }[]
      >`
      SELECT bucket, destination_id,
             sum(attempts)::float8 AS attempts, sum(succeeded)::float8 AS succeeded, sum(failed)::float8 AS failed,
             sum(exhausted)::float8 AS exhausted, sum(latency_ms_sum)::float8 AS latency_sum,
             ${tx.unsafe(MERGED_HISTOGRAM_SQL)} AS hist
      FROM (
        SELECT date_bin(${interval}::interval, at, ${EPOCH}::timestamptz) AS bucket, destination_id,
               attempts, succeeded, failed, exhausted, latency_ms_sum, latency_hist
        FROM (${counterRows(tx, span, hours, { minutes: 'destination_minute_stats', hours: 'destination_hour_stats', id: 'destination_id', scopeId: scope.destinationId, columns: 'attempts, succeeded, failed, exhausted, latency_ms_sum, latency_hist' })}) d
      ) m
      GROUP BY GROUPING SETS ((bucket), (destination_id))`,
    ),
  ]);
  const folded = emptyFolded();
  for (const row of sourceRows) {
    folded.sources.set(row.bucket.getTime(), { received: row.received, accepted: row.accepted, rejected: row.rejected, duplicates: row.duplicates });
  }
  for (const row of destinationRows) {
    if (row.bucket) {
      folded.destinations.set(row.bucket.getTime(), {
        attempts: row.attempts,
        succeeded: row.succeeded,
        failed: row.failed,
        exhausted: row.exhausted,
        latencySum: row.latency_sum,
        hist: parseNumberArray(row.hist),
      });
    } else if (row.destination_id) {
      folded.perDestination.set(row.destination_id, { attempts: row.attempts, failed: row.failed, exhausted: row.exhausted });
    }
  }
  return folded;
}

// ---- The sealed-part cache, one per database connection pool ----

interface SealedPart {
  from: number;
  sealedTo: number;
  builtAt: number;
  folded: Folded;
}

interface CacheState {
  entries: Map<string, SealedPart>;
  inflight: Map<string, Promise<SealedPart>>;
}

const caches = new WeakMap<Sql, CacheState>();
const listening = new WeakSet<Sql>();

/** Drops the pool's folded windows on every configuration change (and when LISTEN reconnects, since a change may have been missed). */
function forgetOnConfigChange(sql: Sql): void {
  if (listening.has(sql) || typeof sql.listen !== 'function') return;
  listening.add(sql);
  const forget = () => caches.delete(sql);
  sql.listen(CONFIG_CHANNEL, forget, forget).catch((error: unknown) => {
    listening.delete(sql);
    logger.warn({ err: error }, 'cannot LISTEN for configuration changes; the overview cache relies on its TTL');
  });
}

function cacheFor(sql: Sql): CacheState {
  let state = caches.get(sql);
  if (!state) {
    state = { entries: new Map(), inflight: new Map() };
    caches.set(sql, state);
    forgetOnConfigChange(sql);
  }
  return state;
}

/** Forget every folded window (tests that rewrite past counters call this). */
export function resetOverviewCache(sql: Sql = defaultSql()): void {
  caches.delete(sql);
}

/** The folded counters of [window.from, sealedTo) for some sealedTo ≥ target, from the cache when it can. */
async function sealedPart(sql: Sql, key: string, span: Span, target: number, scope: Scope, now: Date): Promise<SealedPart> {
  const state = cacheFor(sql);
  const from = span.from.getTime();
  const usable = (part: SealedPart | undefined | null): part is SealedPart =>
    !!part && part.from === from && part.sealedTo <= span.to.getTime() && Date.now() - part.builtAt < SEALED_TTL_MS;

  const running = state.inflight.get(key);
  if (running) {
    const part = await running.catch(() => null);
    if (usable(part) && part.sealedTo >= target) return part;
  }
  const cached = state.entries.get(key);
  const base: SealedPart = usable(cached) ? cached : { from, sealedTo: from, builtAt: Date.now(), folded: emptyFolded() };
  if (base.sealedTo >= target) return base;

  const promise = readCounters(sql, { from: new Date(base.sealedTo), to: new Date(target), bucketMs: span.bucketMs }, scope, {
    rollups: true,
    now,
  }).then((delta): SealedPart => ({ from, sealedTo: target, builtAt: base.builtAt, folded: mergeFolded(base.folded, delta) }));
  state.inflight.set(key, promise);
  try {
    const part = await promise;
    state.entries.delete(key);
    state.entries.set(key, part);
    while (state.entries.size > MAX_CACHED_WINDOWS) state.entries.delete(state.entries.keys().next().value!);
    return part;
  } finally {
    if (state.inflight.get(key) === promise) state.inflight.delete(key);
  }
}

// ---- Points ----

const percent = (part: number, whole: number): number | null => (whole > 0 ? (part / whole) * 100 : null);

/** One zero-filled point per bucket of the window, range totals, and the destinations failing most. */
function buildSeries(
  range: OverviewRange,
  window: ReturnType<typeof overviewWindow>,
  folded: Folded,
): Omit<OverviewSeries, 'failingDestinations'> & { failing: (DestinationTotals & { id: string })[] } {
  const points: OverviewPoint[] = [];
  const rangeHistogram: number[] = new Array<number>(HISTOGRAM_SLOTS).fill(0);
  let latencySum = 0;
  for (let i = 0; i < window.count; i++) {
    const start = window.from.getTime() + i * window.bucketMs;
    const source = folded.sources.get(start);
    const destination = folded.destinations.get(start);
    const hist = destination?.hist ?? [];
    for (let slot = 0; slot < HISTOGRAM_SLOTS; slot++) rangeHistogram[slot]! += hist[slot] ?? 0;
    latencySum += destination?.latencySum ?? 0;
    points.push({
      time: new Date(start).toISOString(),
      received: source?.received ?? 0,
      accepted: source?.accepted ?? 0,
      rejected: source?.rejected ?? 0,
      duplicates: source?.duplicates ?? 0,
      attempts: destination?.attempts ?? 0,
      succeeded: destination?.succeeded ?? 0,
      failed: destination?.failed ?? 0,
      exhausted: destination?.exhausted ?? 0,
      errorRate: destination ? percent(destination.failed, destination.attempts) : null,
      p50Ms: percentileFromHistogram(hist, 0.5),
      p95Ms: percentileFromHistogram(hist, 0.95),
    });
  }

  const sum = (key: 'received' | 'accepted' | 'rejected' | 'duplicates' | 'attempts' | 'succeeded' | 'failed' | 'exhausted') =>
    points.reduce((total, point) => total + point[key], 0);
  const totals = {
    received: sum('received'),
    accepted: sum('accepted'),
    rejected: sum('rejected'),
    duplicates: sum('duplicates'),
    attempts: sum('attempts'),
    succeeded: sum('succeeded'),
    failed: sum('failed'),
    exhausted: sum('exhausted'),
  };
  const failing = [...folded.perDestination.entries()]
    .filter(([, t]) => t.failed > 0)
    .map(([id, t]) => ({ id, ...t }))
    .sort((a, b) => b.failed - a.failed || b.failed / b.attempts - a.failed / a.attempts || (a.id < b.id ? -1 : 1))
    .slice(0, 5);

  return {
    range,
    bucketMs: window.bucketMs,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    points,
    totals: {
      ...totals,
      errorRate: percent(totals.failed, totals.attempts),
      rejectionRate: percent(totals.rejected, totals.received),
      p50Ms: percentileFromHistogram(rangeHistogram, 0.5),
      p95Ms: percentileFromHistogram(rangeHistogram, 0.95),
      avgLatencyMs: totals.attempts > 0 ? latencySum / totals.attempts : null,
    },
    failing,
  };
}

/**
 * The charts of one range, optionally narrowed to a source or a destination. Counters are kept per
 * source (ingest) and per destination (delivery): a source filter narrows the ingest charts only
 * and a destination filter the delivery charts only (the page says so).
 */
export async function loadOverviewSeries(query: OverviewQuery, options: { sql?: Sql; now?: Date; cache?: boolean } = {}): Promise<OverviewSeries> {
  const sql = options.sql ?? defaultSql();
  const now = options.now ?? new Date();
  const window = overviewWindow(query.range, now);
  const scope: Scope = { sourceId: query.sourceId, destinationId: query.destinationId };
  const sealTarget = Math.min(window.to.getTime(), Math.max(window.from.getTime(), Math.floor((now.getTime() - SEAL_LAG_MS) / MINUTE_MS) * MINUTE_MS));

  let folded: Folded;
  if (options.cache === false) {
    folded = await readCounters(sql, window, scope, { rollups: false, now });
  } else {
    const key = `${query.range}|${scope.sourceId ?? ''}|${scope.destinationId ?? ''}`;
    const sealed = await sealedPart(sql, key, window, sealTarget, scope, now);
    const live = await readCounters(sql, { from: new Date(sealed.sealedTo), to: window.to, bucketMs: window.bucketMs }, scope, { rollups: true, now });
    folded = mergeFolded(sealed.folded, live);
  }

  const { failing, ...series } = buildSeries(query.range, window, folded);
  const names = failing.length
    ? await sql<{ id: string; name: string; status: string }[]>`
        SELECT id, name, status::text AS status FROM destinations WHERE id IN ${sql(failing.map((f) => f.id))}`
    : [];
  const byId = new Map(names.map((row) => [row.id, row]));
  return {
    ...series,
    failingDestinations: failing.map((f) => ({
      id: f.id,
      name: byId.get(f.id)?.name ?? 'Deleted destination',
      status: byId.get(f.id)?.status ?? 'deleted',
      attempts: f.attempts,
      failed: f.failed,
      exhausted: f.exhausted,
      errorRate: percent(f.failed, f.attempts) ?? 0,
    })),
  };
}
