/**
 * The sources pages' numbers: 24-hour counters from source_minute_stats (one grouped query, rows
 * outside the window ignored, an hourly series for the sparkline), and the recent requests list
 * that merges accepted events and rejected requests by time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { loadRecentRequests, loadSourceStats } from '@/lib/sources/source-stats';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';

const NOW = new Date('2026-11-27T12:00:30Z');
const minutesAgo = (minutes: number) => new Date(Math.floor(NOW.getTime() / 60_000) * 60_000 - minutes * 60_000);

async function addStats(sourceId: string, minute: Date, counts: { accepted?: number; rejected?: number; duplicates?: number }) {
  const accepted = counts.accepted ?? 0;
  const rejected = counts.rejected ?? 0;
  const duplicates = counts.duplicates ?? 0;
  await db().sourceMinuteStat.create({ data: { sourceId, minute, accepted, rejected, duplicates, received: accepted + rejected + duplicates } });
}

async function addRejection(sourceId: string, receivedAt: Date, reason: string, status = 401) {
  await db().rejectedRequest.create({
    data: {
      sourceId,
      receivedAt,
      reason,
      detail: `detail of ${reason}`,
      status,
      headers: {},
      bodyPreview: new Uint8Array(),
      size: 12,
      sourceIp: '203.0.113.9',
    },
  });
}

afterAll(async () => {
  await db().$disconnect();
});

describe('loadSourceStats', () => {
  let busy: string;
  let quiet: string;
  let idle: string;

  beforeAll(async () => {
    busy = (await createTestSource({ provider: 'none' })).source.id;
    quiet = (await createTestSource({ provider: 'none' })).source.id;
    idle = (await createTestSource({ provider: 'none' })).source.id;
    await addStats(busy, minutesAgo(0), { accepted: 10, rejected: 2, duplicates: 1 });
    await addStats(busy, minutesAgo(90), { accepted: 5, rejected: 3 });
    await addStats(busy, minutesAgo(23 * 60 + 50), { accepted: 4 });
    // Outside the window: 24 h and 5 min ago, and a week ago.
    await addStats(busy, minutesAgo(24 * 60 + 5), { accepted: 1000, rejected: 1000 });
    await addStats(busy, minutesAgo(7 * 24 * 60), { accepted: 1000 });
    await addStats(quiet, minutesAgo(30), { accepted: 7 });
  });

  it('sums the last 24 hours per source and leaves older minutes out', async () => {
    const stats = await loadSourceStats({ now: NOW });
    const entry = stats.get(busy)!;
    expect(entry).toMatchObject({ received: 25, accepted: 19, rejected: 5, duplicates: 1 });
    expect(entry.rejectionRate).toBeCloseTo(5 / 25);
    expect(stats.get(quiet)).toMatchObject({ received: 7, accepted: 7, rejected: 0, rejectionRate: 0 });
    // No traffic, no row: the page shows zeros for it.
    expect(stats.has(idle)).toBe(false);
  });

  it('spreads requests over 24 hourly buckets, oldest first, for the sparkline', async () => {
    const { hourly } = (await loadSourceStats({ now: NOW })).get(busy)!;
    expect(hourly).toHaveLength(24);
    expect(hourly.reduce((sum, value) => sum + value, 0)).toBe(25);
    expect(hourly[23]).toBe(13); // this minute
    expect(hourly[22]).toBe(8); // 90 minutes ago
    expect(hourly[0]).toBe(4); // 23 h 50 min ago
  });

  it('reads only the sources asked for', async () => {
    const stats = await loadSourceStats({ sourceIds: [quiet], now: NOW });
    expect([...stats.keys()]).toEqual([quiet]);
    expect(await loadSourceStats({ sourceIds: [], now: NOW })).toEqual(new Map());
  });

  it('counts what ingest writes at the current minute', async () => {
    const fresh = (await createTestSource({ provider: 'none' })).source.id;
    await addStats(fresh, new Date(Math.floor(Date.now() / 60_000) * 60_000), { accepted: 3, rejected: 1 });
    const entry = (await loadSourceStats({ sourceIds: [fresh] })).get(fresh)!;
    expect(entry).toMatchObject({ received: 4, rejected: 1, rejectionRate: 0.25 });
  });
});

describe('loadRecentRequests', () => {
  it('merges accepted events and rejected requests newest first, with each event’s delivery statuses', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const destination = await createTestDestination({ url: 'http://127.0.0.1:9/' });
    const other = await createTestDestination({ url: 'http://127.0.0.1:9/' });
    const base = Date.now() - 60_000;
    const first = await createTestEvent({
      sourceId: source.id,
      destinationIds: [destination.id, other.id],
      eventType: 'order.created',
      receivedAt: new Date(base),
    });
    await addRejection(source.id, new Date(base + 1_000), 'bad_signature');
    const second = await createTestEvent({ sourceId: source.id, destinationIds: [], eventType: 'order.paid', receivedAt: new Date(base + 2_000) });
    await addRejection(source.id, new Date(base + 3_000), 'ip_not_allowed', 403);
    await db().delivery.updateMany({ where: { eventId: first.id, destinationId: destination.id }, data: { status: 'succeeded' } });
    await db().delivery.updateMany({ where: { eventId: first.id, destinationId: other.id }, data: { status: 'failed' } });

    const requests = await loadRecentRequests(source.id);
    expect(requests.map((request) => [request.kind, request.kind === 'accepted' ? request.eventType : request.reason])).toEqual([
      ['rejected', 'ip_not_allowed'],
      ['accepted', 'order.paid'],
      ['rejected', 'bad_signature'],
      ['accepted', 'order.created'],
    ]);
    const [ipRefusal, paid, , created] = requests;
    expect(ipRefusal).toMatchObject({ kind: 'rejected', status: 403, detail: 'detail of ip_not_allowed', sourceIp: '203.0.113.9' });
    expect(paid).toMatchObject({ id: second.id, deliveries: {} });
    expect(created).toMatchObject({ id: first.id, deliveries: { succeeded: 1, failed: 1 } });
  });

  it('keeps only the newest `limit` of both kinds together, and nothing of other sources', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const { source: neighbour } = await createTestSource({ provider: 'none' });
    const base = Date.now() - 600_000;
    for (let i = 0; i < 30; i++) await createTestEvent({ sourceId: source.id, destinationIds: [], receivedAt: new Date(base + i * 2_000) });
    for (let i = 0; i < 30; i++) await addRejection(source.id, new Date(base + i * 2_000 + 1_000), 'stale_timestamp');
    await createTestEvent({ sourceId: neighbour.id, destinationIds: [], receivedAt: new Date() });
    await addRejection(neighbour.id, new Date(), 'bad_signature');

    const requests = await loadRecentRequests(source.id, 50);
    expect(requests).toHaveLength(50);
    const times = requests.map((request) => request.receivedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The oldest 10 (5 of each kind) fell off the end.
    expect(times.at(-1)).toBe(base + 5 * 2_000);
    expect(requests.filter((request) => request.kind === 'rejected')).toHaveLength(25);
  });

  it('answers an empty list for a source without requests', async () => {
    expect(await loadRecentRequests(newId())).toEqual([]);
  });
});
