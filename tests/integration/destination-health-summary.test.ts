/**
 * The destinations pages' health: success rate and latency percentiles over 24 hours from
 * destination_minute_stats (histograms merged bucket by bucket), and the backlog per status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/prisma';
import { formatLatencyBound, loadDestinationHealth } from '@/lib/destinations/destination-health-summary';
import { emptyHistogram, LATENCY_BUCKETS_MS } from '@/lib/metrics/latency-buckets';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';

const NOW = new Date('2026-11-27T12:00:30Z');
const minutesAgo = (minutes: number) => new Date(Math.floor(NOW.getTime() / 60_000) * 60_000 - minutes * 60_000);

/** A histogram with `count` samples in the bucket whose upper bound is `boundMs`. */
function histogram(entries: [boundMs: number, count: number][]): number[] {
  const hist = emptyHistogram();
  for (const [bound, count] of entries) hist[LATENCY_BUCKETS_MS.indexOf(bound as (typeof LATENCY_BUCKETS_MS)[number])]! += count;
  return hist;
}

async function addStats(
  destinationId: string,
  minute: Date,
  row: { succeeded: number; failed: number; exhausted?: number; latencyMsSum: number; hist: number[] },
) {
  await db().destinationMinuteStat.create({
    data: {
      destinationId,
      minute,
      attempts: row.succeeded + row.failed,
      succeeded: row.succeeded,
      failed: row.failed,
      exhausted: row.exhausted ?? 0,
      latencyMsSum: BigInt(row.latencyMsSum),
      latencyHist: row.hist,
    },
  });
}

afterAll(async () => {
  await db().$disconnect();
});

describe('loadDestinationHealth', () => {
  let healthy: string;
  let struggling: string;
  let silent: string;

  beforeAll(async () => {
    healthy = (await createTestDestination({ url: 'http://127.0.0.1:9/a' })).id;
    struggling = (await createTestDestination({ url: 'http://127.0.0.1:9/b' })).id;
    silent = (await createTestDestination({ url: 'http://127.0.0.1:9/c' })).id;
    // 100 fast attempts split over two minutes of two different hours: 90 in ≤ 50 ms, 10 in ≤ 250 ms.
    await addStats(healthy, minutesAgo(5), { succeeded: 60, failed: 0, latencyMsSum: 60 * 40, hist: histogram([[50, 60]]) });
    await addStats(healthy, minutesAgo(125), {
      succeeded: 40,
      failed: 0,
      latencyMsSum: 30 * 40 + 10 * 200,
      hist: histogram([
        [50, 30],
        [250, 10],
      ]),
    });
    // Outside the window: would ruin the numbers if it were counted.
    await addStats(healthy, minutesAgo(25 * 60), { succeeded: 0, failed: 500, latencyMsSum: 500 * 30_000, hist: histogram([[30_000, 500]]) });
    await addStats(struggling, minutesAgo(10), {
      succeeded: 3,
      failed: 7,
      exhausted: 2,
      latencyMsSum: 7 * 9000 + 3 * 100,
      hist: histogram([
        [100, 3],
        [10_000, 7],
      ]),
    });
  });

  it('computes the success rate and p50/p95 from the merged histogram of the last 24 hours', async () => {
    const health = await loadDestinationHealth({ now: NOW });
    const fast = health.get(healthy)!;
    expect(fast).toMatchObject({ attempts: 100, succeeded: 100, failed: 0, exhausted: 0, successRate: 1, p50Ms: 50, p95Ms: 250 });
    expect(fast.averageMs).toBeCloseTo((60 * 40 + 30 * 40 + 10 * 200) / 100);
    expect(fast.latencyHistogram[LATENCY_BUCKETS_MS.indexOf(50)]).toBe(90);
    expect(fast.latencyHistogram[LATENCY_BUCKETS_MS.indexOf(250)]).toBe(10);
    expect(fast.hourlyAttempts[23]).toBe(60);
    expect(fast.hourlyAttempts[21]).toBe(40);

    const slow = health.get(struggling)!;
    expect(slow).toMatchObject({ attempts: 10, succeeded: 3, failed: 7, exhausted: 2, p50Ms: 10_000, p95Ms: 10_000 });
    expect(slow.successRate).toBeCloseTo(0.3);
    expect(slow.hourlyFailures[23]).toBe(7);
  });

  it('lists every destination, with empty numbers for one without attempts', async () => {
    const health = await loadDestinationHealth({ now: NOW });
    expect(health.get(silent)).toMatchObject({ attempts: 0, successRate: null, p95Ms: null, averageMs: null, backlog: { total: 0, failed: 0 } });
    const only = await loadDestinationHealth({ destinationIds: [silent], now: NOW });
    expect([...only.keys()]).toEqual([silent]);
  });

  it('counts the backlog by status: pending, in flight and held count, failed is shown apart', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const destination = (await createTestDestination({ url: 'http://127.0.0.1:9/d', data: { status: 'disabled' } })).id;
    const statuses = ['pending', 'pending', 'pending', 'in_flight', 'failed', 'succeeded', 'cancelled'] as const;
    for (const status of statuses) {
      const event = await createTestEvent({ sourceId: source.id, destinationIds: [destination] });
      await db().delivery.updateMany({ where: { eventId: event.id }, data: { status } });
    }
    const backlog = async () => (await loadDestinationHealth({ destinationIds: [destination] })).get(destination)!.backlog;
    expect(await backlog()).toEqual({ pending: 3, inFlight: 1, paused: 0, failed: 1, total: 4, capped: false });
    // Paused, its pending deliveries are held: reported paused, stored pending.
    await db().destination.update({ where: { id: destination }, data: { status: 'paused' } });
    expect(await backlog()).toEqual({ pending: 0, inFlight: 1, paused: 3, failed: 1, total: 4, capped: false });
  });

  it('reads percentiles as bucket bounds', () => {
    expect(formatLatencyBound(null)).toBe('–');
    expect(formatLatencyBound(250)).toBe('≤ 250 ms');
    expect(formatLatencyBound(2500)).toBe('≤ 2.5 s');
    expect(formatLatencyBound(60_000)).toBe('> 30 s');
  });
});
