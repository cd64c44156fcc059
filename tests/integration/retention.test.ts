/**
 * Retention: old rows go, in bounded batches; recent rows and undelivered work stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { retentionDaysFromEnv, runRetention } from '@/lib/worker/retention';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';
import { withPg } from '../support/db';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

let sourceId: string;
let destinationId: string;

beforeAll(async () => {
  sourceId = (await createTestSource({ provider: 'none' })).source.id;
  destinationId = (await createTestDestination({ url: 'http://127.0.0.1:9/', data: { status: 'paused' } })).id;
});

afterAll(async () => {
  await closeSql();
  await db().$disconnect();
});

async function eventWithDelivery(receivedAt: Date, status: 'pending' | 'in_flight' | 'paused' | 'succeeded' | 'failed' | 'cancelled') {
  const event = await createTestEvent({ sourceId, destinationIds: [destinationId], receivedAt });
  const delivery = event.deliveries[0]!;
  await db().delivery.update({ where: { id: delivery.id }, data: { status } });
  await db().attempt.create({ data: { id: newId(), deliveryId: delivery.id, attemptNumber: 1, startedAt: receivedAt, durationMs: 5, responseStatus: 500 } });
  return { eventId: event.id, deliveryId: delivery.id };
}

describe('retention', () => {
  it('deletes old events with their deliveries and attempts, keeps recent ones and undelivered work', async () => {
    const oldDone = await eventWithDelivery(daysAgo(40), 'succeeded');
    const oldFailed = await eventWithDelivery(daysAgo(35), 'failed');
    const oldPending = await eventWithDelivery(daysAgo(40), 'pending');
    const oldInFlight = await eventWithDelivery(daysAgo(40), 'in_flight');
    const oldPaused = await eventWithDelivery(daysAgo(40), 'paused');
    const recent = await eventWithDelivery(daysAgo(29), 'succeeded');
    // A recent replay of an old delivery of another event keeps going, unlinked.
    const recentEvent = await createTestEvent({ sourceId, destinationIds: [], receivedAt: daysAgo(1) });
    const recentReplay = await db().delivery.create({
      data: { id: newId(), eventId: recentEvent.id, sourceId, destinationId, status: 'succeeded', replayOfId: oldDone.deliveryId },
    });

    const report = await runRetention(sql(), { pauseMs: 0 });
    expect(report).toMatchObject({ ran: true, events: 2 });

    const events = await db().event.findMany({
      where: { id: { in: [oldDone, oldFailed, oldPending, oldInFlight, oldPaused, recent].map((e) => e.eventId) } },
      select: { id: true },
    });
    expect(events.map((e) => e.id).sort()).toEqual([oldPending, oldInFlight, oldPaused, recent].map((e) => e.eventId).sort());
    expect(await db().delivery.count({ where: { id: { in: [oldDone.deliveryId, oldFailed.deliveryId] } } })).toBe(0);
    expect(await db().attempt.count({ where: { deliveryId: { in: [oldDone.deliveryId, oldFailed.deliveryId] } } })).toBe(0);
    expect(await db().attempt.count({ where: { deliveryId: { in: [oldPending.deliveryId, recent.deliveryId] } } })).toBe(2);
    expect(await db().delivery.findUniqueOrThrow({ where: { id: recentReplay.id } })).toMatchObject({ replayOfId: null });

    // Once the held work is done, its event goes on the next run.
    await db().delivery.update({ where: { id: oldPending.deliveryId }, data: { status: 'succeeded' } });
    expect((await runRetention(sql(), { pauseMs: 0 })).events).toBe(1);
  });

  it('honours HOOKYARD_RETENTION_DAYS, refusing nonsense', () => {
    expect(retentionDaysFromEnv({} as NodeJS.ProcessEnv)).toBe(30);
    expect(retentionDaysFromEnv({ HOOKYARD_RETENTION_DAYS: '7' } as unknown as NodeJS.ProcessEnv)).toBe(7);
    for (const bad of ['0', '-3', '1.5', 'thirty']) {
      expect(() => retentionDaysFromEnv({ HOOKYARD_RETENTION_DAYS: bad } as unknown as NodeJS.ProcessEnv)).toThrow(/HOOKYARD_RETENTION_DAYS/);
    }
  });

  it('deletes old rejected requests and resolved alerts, and keeps minute stats for 90 days', async () => {
    const rejected = (receivedAt: Date) =>
      db().rejectedRequest.create({
        data: { sourceId, receivedAt, reason: 'bad_signature', status: 401, headers: {}, bodyPreview: new Uint8Array(), size: 0 },
      });
    const oldRejected = await rejected(daysAgo(31));
    const newRejected = await rejected(daysAgo(2));
    const alert = (status: 'open' | 'resolved', resolvedAt: Date | null, createdAt: Date) =>
      db().alert.create({ data: { kind: 'delivery_exhausted', status, destinationId, message: 'x', resolvedAt, createdAt } });
    const oldResolved = await alert('resolved', daysAgo(40), daysAgo(50));
    const oldOpen = await alert('open', null, daysAgo(50));
    const recentlyResolved = await alert('resolved', daysAgo(3), daysAgo(50));
    const minute = (days: number) => new Date(Math.floor(daysAgo(days).getTime() / 60_000) * 60_000);
    await db().sourceMinuteStat.createMany({
      data: [
        { sourceId, minute: minute(100), received: 1 },
        { sourceId, minute: minute(60), received: 1 },
      ],
    });
    await db().destinationMinuteStat.createMany({
      data: [
        { destinationId, minute: minute(91), attempts: 1 },
        { destinationId, minute: minute(89), attempts: 1 },
      ],
    });

    const report = await runRetention(sql(), { pauseMs: 0 });
    expect(report).toMatchObject({ rejectedRequests: 1, alerts: 1, sourceMinuteStats: 1, destinationMinuteStats: 1 });
    expect(await db().rejectedRequest.findMany({ select: { id: true } })).toEqual([{ id: newRejected.id }]);
    expect(await db().rejectedRequest.findUnique({ where: { id: oldRejected.id } })).toBeNull();
    expect((await db().alert.findMany({ select: { id: true } })).map((a) => a.id).sort()).toEqual([oldOpen.id, recentlyResolved.id].sort());
    expect(await db().alert.findUnique({ where: { id: oldResolved.id } })).toBeNull();
    expect(await db().sourceMinuteStat.count({ where: { sourceId } })).toBe(1);
    expect(await db().destinationMinuteStat.count({ where: { destinationId } })).toBe(1);
  });

  it('deletes in bounded batches and stops at the cap per run', async () => {
    const start = Date.now() - 45 * DAY;
    for (let i = 0; i < 25; i++) await createTestEvent({ sourceId, destinationIds: [destinationId], receivedAt: new Date(start + i * 1000) });
    await db().delivery.updateMany({ where: { event: { receivedAt: { lt: daysAgo(44) } } }, data: { status: 'succeeded' } });
    const oldCount = () => db().event.count({ where: { receivedAt: { lt: daysAgo(44) } } });
    expect(await oldCount()).toBe(25);

    const first = await runRetention(sql(), { batchSize: 5, maxBatchesPerTable: 2, pauseMs: 1 });
    expect(first.events).toBe(10);
    expect(await oldCount()).toBe(15);
    // Oldest first: what is left is the newest 15.
    const left = await db().event.findMany({ where: { receivedAt: { lt: daysAgo(44) } }, orderBy: { receivedAt: 'asc' }, take: 1 });
    expect(left[0]!.receivedAt.getTime()).toBe(start + 10 * 1000);
    expect((await runRetention(sql(), { batchSize: 5, maxBatchesPerTable: 2, pauseMs: 1 })).events).toBe(10);
    expect((await runRetention(sql(), { batchSize: 5, maxBatchesPerTable: 2, pauseMs: 1 })).events).toBe(5);
    expect(await oldCount()).toBe(0);
  });

  it('runs in one worker at a time', async () => {
    // Another worker, mid-run: it holds the lock (a session lock here, on a connection of its own).
    await withPg(async (holder) => {
      await holder.query('SELECT pg_advisory_lock($1)', [0x686b7972]);
      expect(await runRetention(sql(), { pauseMs: 0 })).toMatchObject({ ran: false, events: 0, batches: 0 });
    });
    expect((await runRetention(sql(), { pauseMs: 0 })).ran).toBe(true);
  });
});
