import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GET as getOverview } from '@/app/api/v1/overview/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { db, disconnectDb } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { LATENCY_BUCKETS_MS } from '@/lib/metrics/latency-buckets';
import { loadOverview } from '@/lib/overview/load-overview';
import { OVERVIEW_RANGES, overviewWindow } from '@/lib/overview/overview.schema';
import { loadOverviewSeries, resetOverviewCache } from '@/lib/overview/overview-series';
import { loadQueueStats } from '@/lib/overview/queue-stats';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';

const NOW = new Date('2026-03-01T12:07:30Z');
const at = (iso: string) => new Date(iso);
const SLOTS = LATENCY_BUCKETS_MS.length + 1;

/** A histogram with `count` samples in the slot whose bound is `boundMs` (Infinity: slower than every bound). */
function hist(entries: [boundMs: number, count: number][]): number[] {
  const out = new Array<number>(SLOTS).fill(0);
  for (const [bound, count] of entries) {
    const slot = bound === Infinity ? SLOTS - 1 : LATENCY_BUCKETS_MS.indexOf(bound as (typeof LATENCY_BUCKETS_MS)[number]);
    if (slot < 0) throw new Error(`no latency bucket ${bound}`);
    out[slot]! += count;
  }
  return out;
}

async function sourceStat(sourceId: string, minute: string, counts: { accepted?: number; rejected?: number; duplicates?: number }) {
  const accepted = counts.accepted ?? 0;
  const rejected = counts.rejected ?? 0;
  const duplicates = counts.duplicates ?? 0;
  await db().sourceMinuteStat.create({
    data: { sourceId, minute: at(minute), received: accepted + rejected + duplicates, accepted, rejected, duplicates },
  });
}

async function destinationStat(
  destinationId: string,
  minute: string,
  stat: { succeeded?: number; failed?: number; exhausted?: number; latency: [number, number][]; latencySum?: number },
) {
  const succeeded = stat.succeeded ?? 0;
  const failed = stat.failed ?? 0;
  await db().destinationMinuteStat.create({
    data: {
      destinationId,
      minute: at(minute),
      attempts: succeeded + failed,
      succeeded,
      failed,
      exhausted: stat.exhausted ?? 0,
      latencyMsSum: BigInt(stat.latencySum ?? 0),
      latencyHist: hist(stat.latency),
    },
  });
}

let sourceA: string;
let sourceB: string;
let destinationA: string;
let destinationB: string;

beforeAll(async () => {
  sourceA = (await createTestSource({ provider: 'none' })).source.id;
  sourceB = (await createTestSource({ provider: 'none' })).source.id;
  destinationA = (await createTestDestination({ url: 'http://127.0.0.1:9/a', data: { name: 'Alpha API' } })).id;
  destinationB = (await createTestDestination({ url: 'http://127.0.0.1:9/b', data: { name: 'Beta API' } })).id;

  // The 24 h window at NOW runs from 2026-02-28T12:15Z to 2026-03-01T12:15Z in 15-minute points.
  await sourceStat(sourceA, '2026-02-28T12:14:00Z', { accepted: 1000 }); // just before the window
  await sourceStat(sourceA, '2026-02-28T12:15:00Z', { accepted: 1, rejected: 1 }); // first point
  await sourceStat(sourceA, '2026-03-01T11:46:00Z', { accepted: 10, rejected: 2 });
  await sourceStat(sourceA, '2026-03-01T11:59:00Z', { accepted: 5, duplicates: 1 });
  await sourceStat(sourceB, '2026-03-01T11:50:00Z', { accepted: 7, rejected: 3 });
  await sourceStat(sourceA, '2026-03-01T12:06:00Z', { accepted: 4 }); // last (still filling) point
  await sourceStat(sourceA, '2026-03-01T12:15:00Z', { accepted: 1000 }); // after the window

  await destinationStat(destinationA, '2026-03-01T11:47:00Z', { succeeded: 10, latency: [[10, 10]], latencySum: 50 });
  await destinationStat(destinationB, '2026-03-01T11:58:00Z', { succeeded: 6, failed: 4, exhausted: 1, latency: [[500, 10]], latencySum: 4000 });
  await destinationStat(destinationB, '2026-03-01T12:01:00Z', {
    failed: 2,
    latency: [
      [Infinity, 1],
      [100, 1],
    ],
    latencySum: 30100,
  });
  await destinationStat(destinationA, '2026-02-28T06:00:00Z', { failed: 99, latency: [[10, 99]] }); // outside 24 h, inside 7 d
});

beforeEach(() => resetOverviewCache());

afterAll(async () => {
  await disconnectDb();
  await closeSql();
});

describe('overview series', () => {
  it('folds minutes into zero-filled 15-minute points for 24 hours, inside the window only', async () => {
    const series = await loadOverviewSeries({ range: '24h' }, { now: NOW, cache: false });
    expect(series.points).toHaveLength(96);
    expect(series.bucketMs).toBe(15 * 60_000);
    expect(series.from).toBe('2026-02-28T12:15:00.000Z');
    expect(series.to).toBe('2026-03-01T12:15:00.000Z');
    expect(series.points[0]).toMatchObject({ time: '2026-02-28T12:15:00.000Z', received: 2, accepted: 1, rejected: 1 });
    expect(series.points[95]).toMatchObject({ time: '2026-03-01T12:00:00.000Z', received: 4, accepted: 4, attempts: 2, failed: 2, errorRate: 100 });

    const point = series.points.find((p) => p.time === '2026-03-01T11:45:00.000Z')!;
    // 11:46 and 11:59 from A, 11:50 from B.
    expect(point).toMatchObject({ received: 28, accepted: 22, rejected: 5, duplicates: 1, attempts: 20, succeeded: 16, failed: 4, exhausted: 1 });
    expect(point.errorRate).toBe(20);

    // Every other point is zeros, with no latency (no attempts is not 0 ms).
    const empty = series.points.filter((p) => !['2026-02-28T12:15:00.000Z', '2026-03-01T11:45:00.000Z', '2026-03-01T12:00:00.000Z'].includes(p.time));
    expect(empty).toHaveLength(93);
    for (const p of empty) {
      expect(p).toMatchObject({ received: 0, accepted: 0, rejected: 0, attempts: 0, failed: 0, errorRate: null, p50Ms: null, p95Ms: null });
    }
    // Consecutive points, evenly spaced.
    for (let i = 1; i < series.points.length; i++) {
      expect(Date.parse(series.points[i]!.time) - Date.parse(series.points[i - 1]!.time)).toBe(15 * 60_000);
    }

    expect(series.totals).toMatchObject({ received: 34, accepted: 27, rejected: 6, duplicates: 1, attempts: 22, succeeded: 16, failed: 6, exhausted: 1 });
    expect(series.totals.errorRate).toBeCloseTo((6 / 22) * 100);
    expect(series.totals.rejectionRate).toBeCloseTo((6 / 34) * 100);
  });

  it('has the documented point count and width for every range', async () => {
    for (const [range, spec] of Object.entries(OVERVIEW_RANGES) as [keyof typeof OVERVIEW_RANGES, (typeof OVERVIEW_RANGES)[keyof typeof OVERVIEW_RANGES]][]) {
      const series = await loadOverviewSeries({ range }, { now: NOW, cache: false });
      const expected = { '1h': 60, '24h': 96, '7d': 168, '30d': 120 }[range];
      expect(series.points, range).toHaveLength(expected);
      expect(series.bucketMs).toBe(spec.bucketMs);
      expect(Date.parse(series.points.at(-1)!.time)).toBeLessThanOrEqual(NOW.getTime());
      expect(Date.parse(series.points.at(-1)!.time) + spec.bucketMs).toBeGreaterThan(NOW.getTime());
      // Every stored minute in the window lands in exactly one point.
      const window = overviewWindow(range, NOW);
      const [row] = await db().$queryRaw<{ received: number }[]>`
        SELECT COALESCE(sum(received), 0)::int AS received FROM source_minute_stats WHERE minute >= ${window.from} AND minute < ${window.to}`;
      expect(series.totals.received, range).toBe(row!.received);
    }
    const hour = await loadOverviewSeries({ range: '1h' }, { now: NOW, cache: false });
    expect(hour.points.find((p) => p.time === '2026-03-01T11:46:00.000Z')).toMatchObject({ accepted: 10, rejected: 2 });
    expect(hour.points.find((p) => p.time === '2026-03-01T11:47:00.000Z')).toMatchObject({ accepted: 0, attempts: 10 });
    const week = await loadOverviewSeries({ range: '7d' }, { now: NOW, cache: false });
    expect(week.points.find((p) => p.time === '2026-02-28T06:00:00.000Z')).toMatchObject({ failed: 99, errorRate: 100 });
  });

  it('reads latency percentiles off histograms merged per point and over the range', async () => {
    const series = await loadOverviewSeries({ range: '24h' }, { now: NOW, cache: false });
    // 11:45 point: 10 samples ≤ 10 ms (A) + 10 samples ≤ 500 ms (B) → median in the first half, p95 in the second.
    const point = series.points.find((p) => p.time === '2026-03-01T11:45:00.000Z')!;
    expect(point.p50Ms).toBe(10);
    expect(point.p95Ms).toBe(500);
    // 12:00 point: one sample ≤ 100 ms and one over 30 s (reported as twice the last bound).
    const last = series.points.at(-1)!;
    expect(last.p50Ms).toBe(100);
    expect(last.p95Ms).toBe(60_000);
    // The range, 22 samples: 10 ≤ 10 ms, 1 ≤ 100 ms, 10 ≤ 500 ms, 1 slower; the 11th is ≤ 100 ms, the 21st ≤ 500 ms.
    expect(series.totals.p50Ms).toBe(100);
    expect(series.totals.p95Ms).toBe(500);
    expect(series.totals.avgLatencyMs).toBeCloseTo((50 + 4000 + 30100) / 22);

    const onlyA = await loadOverviewSeries({ range: '24h', destinationId: destinationA }, { now: NOW, cache: false });
    expect(onlyA.points.find((p) => p.time === '2026-03-01T11:45:00.000Z')).toMatchObject({ p50Ms: 10, p95Ms: 10, attempts: 10 });
  });

  it('narrows the ingest charts to a source and the delivery charts to a destination', async () => {
    const a = await loadOverviewSeries({ range: '24h', sourceId: sourceA }, { now: NOW, cache: false });
    expect(a.totals).toMatchObject({ received: 24, accepted: 20, rejected: 3 });
    const b = await loadOverviewSeries({ range: '24h', sourceId: sourceB }, { now: NOW, cache: false });
    expect(b.totals).toMatchObject({ received: 10, accepted: 7, rejected: 3 });
    expect(b.points.find((p) => p.time === '2026-03-01T11:45:00.000Z')).toMatchObject({ received: 10 });

    const onlyB = await loadOverviewSeries({ range: '24h', destinationId: destinationB }, { now: NOW, cache: false });
    expect(onlyB.totals).toMatchObject({ attempts: 12, succeeded: 6, failed: 6, exhausted: 1 });
    expect(onlyB.totals.received).toBe(34); // counters are per source: a destination filter leaves ingest whole

    const unknown = await loadOverviewSeries({ range: '24h', sourceId: '0190a000-0000-7000-8000-000000000000' }, { now: NOW, cache: false });
    expect(unknown.points).toHaveLength(96);
    expect(unknown.totals.received).toBe(0);
  });

  it('ranks the destinations failing most, with their error rate, by name', async () => {
    const day = await loadOverviewSeries({ range: '24h' }, { now: NOW, cache: false });
    expect(day.failingDestinations).toEqual([{ id: destinationB, name: 'Beta API', status: 'active', attempts: 12, failed: 6, exhausted: 1, errorRate: 50 }]);
    const week = await loadOverviewSeries({ range: '7d' }, { now: NOW, cache: false });
    expect(week.failingDestinations.map((d) => [d.name, d.failed])).toEqual([
      ['Alpha API', 99],
      ['Beta API', 6],
    ]);
    expect(week.failingDestinations[0]!.errorRate).toBeCloseTo((99 / 109) * 100);
  });

  it('gives the same answer from the folded cache as from the tables, and sees new minutes', async () => {
    for (const range of ['1h', '24h', '7d', '30d'] as const) {
      const direct = await loadOverviewSeries({ range }, { now: NOW, cache: false });
      expect(await loadOverviewSeries({ range }, { now: NOW })).toEqual(direct);
      expect(await loadOverviewSeries({ range }, { now: NOW })).toEqual(direct); // from the cache
    }
    // A minute that is still live when first read, then grows, then a new minute arrives.
    const destination = (await createTestDestination({ url: 'http://127.0.0.1:9/c' })).id;
    const scope = { range: '24h' as const, destinationId: destination };
    await destinationStat(destination, '2026-03-01T12:07:00Z', { succeeded: 1, latency: [[25, 1]] });
    expect((await loadOverviewSeries(scope, { now: NOW })).totals.attempts).toBe(1);
    await db().destinationMinuteStat.update({
      where: { destinationId_minute: { destinationId: destination, minute: at('2026-03-01T12:07:00Z') } },
      data: { attempts: 3, succeeded: 3 },
    });
    const later = new Date(NOW.getTime() + 4 * 60_000);
    await destinationStat(destination, '2026-03-01T12:10:00Z', { failed: 1, latency: [[25, 1]] });
    const after = await loadOverviewSeries(scope, { now: later });
    expect(after.totals).toMatchObject({ attempts: 4, succeeded: 3, failed: 1 });
    expect(after).toEqual(await loadOverviewSeries(scope, { now: later, cache: false }));
  });

  it('sums closed hours once for the 7- and 30-day charts, and reads the last ones from minutes', async () => {
    // A month after NOW, so that no other test has summed these hours yet.
    const now = new Date('2026-04-01T12:07:30Z');
    const destination = (await createTestDestination({ url: 'http://127.0.0.1:9/hours', data: { name: 'Hours API' } })).id;
    const scope = { range: '7d' as const, destinationId: destination };
    await destinationStat(destination, '2026-03-30T10:01:00Z', { succeeded: 3, latency: [[25, 3]], latencySum: 30 });
    await destinationStat(destination, '2026-03-30T10:59:00Z', { failed: 1, exhausted: 1, latency: [[Infinity, 1]], latencySum: 40_000 });
    await destinationStat(destination, '2026-04-01T11:55:00Z', { succeeded: 2, latency: [[10, 2]], latencySum: 8 }); // its hour ended < 15 min ago
    // Something older than the counters' retention (90 days), summed long ago.
    await db().statsRollupHour.create({ data: { hour: at('2025-12-01T00:00:00Z') } });
    await db().destinationHourStat.create({ data: { destinationId: destination, hour: at('2025-12-01T00:00:00Z'), attempts: 1, succeeded: 1 } });

    const direct = await loadOverviewSeries(scope, { now, cache: false });
    expect(await loadOverviewSeries(scope, { now })).toEqual(direct);
    expect(direct.totals).toMatchObject({ attempts: 6, succeeded: 5, failed: 1, exhausted: 1 });

    const hours = await db().destinationHourStat.findMany({ where: { destinationId: destination }, orderBy: { hour: 'asc' } });
    expect(hours.map((h) => [h.hour.toISOString(), h.attempts, h.succeeded, h.failed, h.exhausted, Number(h.latencyMsSum)])).toEqual([
      ['2026-03-30T10:00:00.000Z', 4, 3, 1, 1, 40_030],
    ]);
    expect(hours[0]!.latencyHist).toEqual(
      hist([
        [25, 3],
        [Infinity, 1],
      ]),
    );
    const rolled = await db().statsRollupHour.findMany({ where: { hour: { gte: at('2026-03-20T00:00:00Z') } }, orderBy: { hour: 'asc' } });
    expect(rolled[0]!.hour.toISOString()).toBe('2026-03-25T13:00:00.000Z'); // the 7-day window's first hour
    expect(rolled.at(-1)!.hour.toISOString()).toBe('2026-04-01T10:00:00.000Z'); // 11:00–12:00 ended only 7.5 min ago
    expect(rolled).toHaveLength(7 * 24 - 2);
    expect(await db().statsRollupHour.count({ where: { hour: { lt: at('2026-01-01T00:00:00Z') } } })).toBe(0);

    // From now on the chart reads that hour's sum, not its minutes: a change to a summed minute
    // (which the counters never make: they write the current minute) shows it. The minutes after
    // the summed hours still count, and the 24-hour chart reads minutes only.
    await db().destinationMinuteStat.update({
      where: { destinationId_minute: { destinationId: destination, minute: at('2026-03-30T10:01:00Z') } },
      data: { attempts: 103, succeeded: 103 },
    });
    resetOverviewCache();
    expect((await loadOverviewSeries(scope, { now })).totals).toMatchObject({ attempts: 6, succeeded: 5 });
    expect((await loadOverviewSeries({ range: '24h', destinationId: destination }, { now })).totals.attempts).toBe(2);
  });

  it('forgets the folded sums when the configuration changes (a deleted destination takes its counters along)', async () => {
    const destination = (await createTestDestination({ url: 'http://127.0.0.1:9/gone', data: { name: 'Gone API' } })).id;
    await destinationStat(destination, '2026-03-01T09:00:00Z', { failed: 500, latency: [[50, 500]] });
    const before = await loadOverviewSeries({ range: '24h' }, { now: NOW });
    expect(before.failingDestinations[0]).toMatchObject({ id: destination, failed: 500 });

    // Deleting it deletes its counters (cascade) and announces the change, as the API does.
    await db().destination.delete({ where: { id: destination } });
    await notifyConfigChanged();
    const deadline = Date.now() + 5_000;
    let after = await loadOverviewSeries({ range: '24h' }, { now: NOW });
    while (after.failingDestinations.some((d) => d.id === destination) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await loadOverviewSeries({ range: '24h' }, { now: NOW });
    }
    expect(after.failingDestinations.map((d) => d.id)).not.toContain(destination);
    expect(after).toEqual(await loadOverviewSeries({ range: '24h' }, { now: NOW, cache: false }));
  });
});

describe('queue numbers', () => {
  it('counts pending and in-flight deliveries, finds the oldest, and narrows by destination or source', async () => {
    const source = (await createTestSource({ provider: 'none' })).source.id;
    const fast = (await createTestDestination({ url: 'http://127.0.0.1:9/fast' })).id;
    const slow = (await createTestDestination({ url: 'http://127.0.0.1:9/slow' })).id;
    const t0 = new Date(Date.now() - 3_600_000);
    const oldest = await createTestEvent({ sourceId: source, destinationIds: [slow], receivedAt: t0 });
    await createTestEvent({ sourceId: source, destinationIds: [fast, slow], receivedAt: new Date(t0.getTime() + 60_000) });
    const done = await createTestEvent({ sourceId: source, destinationIds: [fast], receivedAt: new Date(t0.getTime() - 60_000) });
    await db().delivery.update({ where: { id: done.deliveries[0]!.id }, data: { status: 'succeeded' } });
    const gaveUp = await createTestEvent({ sourceId: source, destinationIds: [fast], receivedAt: new Date(t0.getTime() - 120_000) });
    await db().delivery.update({ where: { id: gaveUp.deliveries[0]!.id }, data: { status: 'failed' } });
    await db().delivery.update({ where: { id: oldest.deliveries[0]!.id }, data: { status: 'in_flight' } });

    const now = new Date();
    const all = await loadQueueStats({}, { now });
    expect(all).toMatchObject({ depth: 3, failed: 1, depthCapped: false, oldestPendingAt: t0.toISOString() });
    expect(all.oldestPendingAgeSeconds).toBe(Math.round((now.getTime() - t0.getTime()) / 1000));

    expect(await loadQueueStats({ destinationId: fast }, { now })).toMatchObject({
      depth: 1,
      failed: 1,
      oldestPendingAt: new Date(t0.getTime() + 60_000).toISOString(),
    });
    expect(await loadQueueStats({ destinationId: slow }, { now })).toMatchObject({ depth: 2, failed: 0, oldestPendingAt: t0.toISOString() });
    expect(await loadQueueStats({ sourceId: source }, { now })).toMatchObject({ depth: 3 });

    const empty = (await createTestDestination({ url: 'http://127.0.0.1:9/idle' })).id;
    expect(await loadQueueStats({ destinationId: empty }, { now })).toEqual({
      depth: 0,
      failed: 0,
      depthCapped: false,
      failedCapped: false,
      oldestPendingAt: null,
      oldestPendingAgeSeconds: null,
    });
  });

  it('uses the delivery indexes, never a scan of deliveries or events', async () => {
    // The test tables are tiny, so forbid sequential scans to see which index the planner picks.
    const plan = await db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN SELECT (SELECT count(*) FROM (SELECT 1 FROM deliveries WHERE status IN ('pending', 'in_flight') LIMIT 100001) q),
           (SELECT min(created_at) FROM deliveries WHERE status = 'pending')`,
      );
    });
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).not.toMatch(/Seq Scan|on events/);
    expect(text).toMatch(/Index (Only )?Scan (Backward )?(using|on) deliveries_status_/);
  });
});

describe('GET /api/v1/overview', () => {
  let viewer: string;
  beforeAll(async () => {
    viewer = (await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system')).key;
  });

  const call = async (query: string, key: string | null = viewer) => {
    const headers = new Headers();
    if (key) headers.set('authorization', `Bearer ${key}`);
    const response = await getOverview(new Request(`http://localhost/api/v1/overview${query}`, { headers }));
    return { status: response.status, body: (await response.json()) as any };
  };

  it('answers VIEWER with the series, totals, queue and alerts; validates the query', async () => {
    const ok = await call('?range=1h');
    expect(ok.status).toBe(200);
    expect(ok.body.range).toBe('1h');
    expect(ok.body.points).toHaveLength(60);
    expect(ok.body).toHaveProperty('totals.received');
    expect(ok.body).toHaveProperty('queue.depth');
    expect(ok.body).toHaveProperty('openAlerts.count');
    expect(ok.body.filter).toEqual({ sourceId: null, destinationId: null });
    expect(ok.body.scopes).toBeUndefined();

    expect((await call('')).body.points).toHaveLength(96); // 24 h by default
    expect((await call(`?range=30d&destinationId=${destinationB}`)).body.filter.destinationId).toBe(destinationB);
    expect((await call('?range=2d')).status).toBe(422);
    expect((await call(`?sourceId=${sourceA}&destinationId=${destinationB}`)).status).toBe(422);
    expect((await call('?sourceId=nope')).status).toBe(422);
    expect((await call('?range=1h', null)).status).toBe(401);
  });

  it('lists the latest open alerts for the overview', async () => {
    await db().alert.create({
      data: { kind: 'destination_circuit_open', destinationId: destinationB, message: 'Circuit opened for Beta API', details: { count: 3 } },
    });
    await db().alert.create({ data: { kind: 'delivery_exhausted', destinationId: destinationA, message: 'Resolved one', status: 'resolved' } });
    const overview = await loadOverview({ range: '1h' });
    expect(overview.openAlerts.count).toBe(1);
    expect(overview.openAlerts.latest).toEqual([
      expect.objectContaining({
        kind: 'destination_circuit_open',
        message: 'Circuit opened for Beta API',
        count: 3,
        destination: { id: destinationB, name: 'Beta API' },
      }),
    ]);
    expect((await loadOverview({ range: '1h', destinationId: destinationA })).openAlerts.count).toBe(0);
  });
});
