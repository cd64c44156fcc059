/**
 * Sending again by hand: retry one delivery, replay one event, bulk replays (dry run, throttle,
 * cancel, two workers at once). Replays are really delivered by an in-process DeliveryWorker to
 * a local sink, and every one is audited with the person or key who asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as retryRoute } from '@/app/api/v1/deliveries/[id]/retry/route';
import { POST as replayEventRoute } from '@/app/api/v1/events/[id]/replay/route';
import { POST as cancelReplayRoute } from '@/app/api/v1/replays/[id]/cancel/route';
import { GET as getReplayRoute } from '@/app/api/v1/replays/[id]/route';
import { POST as createReplayRoute } from '@/app/api/v1/replays/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { processBulkReplays } from '@/lib/replay/bulk-replay-runner';
import { createBulkDeliveries, createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';
import { type Sink, startSink } from '../support/sink';
import { untilWorkerShows } from '../support/worker-events';

type Handler = (request: Request, segment?: { params: Promise<any> }) => Promise<Response>;

let admin: string;
let support: string;
let viewer: string;
let worker: DeliveryWorker;
let sink: Sink;
let sinkStatus = 200;
let sourceId: string;

async function call(handler: Handler, options: { key: string | null; body?: unknown; id?: string }) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (options.key) headers.set('authorization', `Bearer ${options.key}`);
  const request = new Request('http://localhost/api/v1/x', {
    method: 'POST',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await handler(request, options.id === undefined ? undefined : { params: Promise.resolve({ id: options.id }) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
}

const deliveryOf = (id: string) => db().delivery.findUniqueOrThrow({ where: { id }, include: { attempts: { orderBy: { startedAt: 'asc' } } } });
const statusOf = async (id: string) => (await db().delivery.findUniqueOrThrow({ where: { id } })).status;
const waitForStatus = (id: string, status: string, timeoutMs = 15_000) =>
  untilWorkerShows(worker, async () => (await statusOf(id)) === status, `delivery ${id} ${status}`, timeoutMs);
const received = (deliveryId: string) => sink.received.filter((r) => r.headers['x-hookyard-delivery-id'] === deliveryId);

beforeAll(async () => {
  admin = (await issueApiKey({ name: 'admin', role: 'ADMIN' }, 'system')).key;
  support = (await issueApiKey({ name: 'support', role: 'SUPPORT' }, 'system')).key;
  viewer = (await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system')).key;
  sink = await startSink(() => ({ status: sinkStatus }));
  sourceId = (await createTestSource({ provider: 'none' })).source.id;
  worker = new DeliveryWorker(sql, { pollIntervalMs: 50, leaseRecoveryIntervalMs: 500, recordDelayMs: 1 });
  await worker.start();
});

afterAll(async () => {
  await worker.stop();
  await sink.close();
  await closeSql();
  await db().$disconnect();
});

describe('roles', () => {
  it('lets VIEWER do none of it, and needs a key at all', async () => {
    const destination = await createTestDestination({ url: sink.url, data: { status: 'paused' } });
    const event = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    const deliveryId = event.deliveries[0]!.id;
    // Failed, so that a retry is allowed (a pending delivery of a paused destination is held already).
    await db().delivery.update({ where: { id: deliveryId }, data: { status: 'failed' } });
    expect((await call(retryRoute, { key: viewer, id: deliveryId })).status).toBe(403);
    expect((await call(replayEventRoute, { key: viewer, id: event.id, body: {} })).status).toBe(403);
    expect((await call(createReplayRoute, { key: viewer, body: { filter: { destinationId: destination.id }, dryRun: true } })).status).toBe(403);
    expect((await call(cancelReplayRoute, { key: viewer, id: newId() })).status).toBe(403);
    expect((await call(retryRoute, { key: null, id: deliveryId })).status).toBe(401);
    // Admins can, as SUPPORT can (below); to a paused destination the retried delivery is held.
    const asAdmin = await call(retryRoute, { key: admin, id: deliveryId });
    expect(asAdmin.status).toBe(202);
    expect(asAdmin.body.status).toBe('paused');
    const held = await call(retryRoute, { key: support, id: deliveryId });
    expect(held.status).toBe(409);
    expect(held.body.error.message).toMatch(/is paused/);
  });
});

describe('retry one delivery', () => {
  it('sends a failed delivery again with its schedule restarted, keeps its attempts, and audits who asked', async () => {
    sinkStatus = 503;
    const destination = await createTestDestination({ url: `${sink.url}/retry`, data: { retrySchedule: [0, 0] } });
    const event = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    const id = event.deliveries[0]!.id;
    await waitForStatus(id, 'failed');
    expect((await deliveryOf(id)).attempts).toHaveLength(2);

    sinkStatus = 200;
    const answer = await call(retryRoute, { key: support, id });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ id, eventId: event.id, status: 'pending', attemptCount: 0, scheduleRestarted: true });
    await waitForStatus(id, 'succeeded');
    const delivery = await deliveryOf(id);
    expect(delivery.attempts.map((a) => [a.attemptNumber, a.responseStatus])).toEqual([
      [1, 503],
      [2, 503],
      [1, 200],
    ]);
    expect(delivery.completedAt).not.toBeNull();

    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'delivery.retry', targetId: id } });
    expect(audit).toMatchObject({ actorType: 'api_key', targetType: 'delivery', before: { status: 'failed', attemptCount: 2 } });
    expect(audit.actorLabel).toContain('support');
  });

  it('sends a waiting delivery now and keeps its place in the schedule', async () => {
    sinkStatus = 200;
    const destination = await createTestDestination({ url: `${sink.url}/waiting` });
    const event = await createTestEvent({ sourceId, destinationIds: [destination.id], receivedAt: new Date(Date.now() + 3_600_000) });
    const id = event.deliveries[0]!.id;
    await db().delivery.update({ where: { id }, data: { attemptCount: 1 } });
    const answer = await call(retryRoute, { key: support, id });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ attemptCount: 1, scheduleRestarted: false });
    await waitForStatus(id, 'succeeded');
    expect((await deliveryOf(id)).attempts.map((a) => a.attemptNumber)).toEqual([2]);
  });

  it('refuses a delivery in flight or already succeeded (409), and unknown ids (404)', async () => {
    const destination = await createTestDestination({ url: sink.url, data: { status: 'paused' } });
    const event = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    const id = event.deliveries[0]!.id;
    await db().delivery.update({ where: { id }, data: { status: 'in_flight', leaseOwner: 'elsewhere', leaseExpiresAt: new Date(Date.now() + 600_000) } });
    const inFlight = await call(retryRoute, { key: support, id });
    expect(inFlight.status).toBe(409);
    expect(inFlight.body.error.message).toMatch(/being sent right now/);
    await db().delivery.update({ where: { id }, data: { status: 'succeeded', leaseOwner: null, leaseExpiresAt: null } });
    const succeeded = await call(retryRoute, { key: support, id });
    expect(succeeded.status).toBe(409);
    expect(succeeded.body.error.message).toMatch(/replay its event/);
    expect((await call(retryRoute, { key: support, id: newId() })).status).toBe(404);
    expect((await call(retryRoute, { key: support, id: 'nope' })).status).toBe(404);
  });
});

describe('replay one event', () => {
  it('re-sends to one destination, then to all it went to, as new deliveries linked to the latest ones', async () => {
    sinkStatus = 200;
    const one = await createTestDestination({ url: `${sink.url}/one` });
    const two = await createTestDestination({ url: `${sink.url}/two` });
    const never = await createTestDestination({ url: `${sink.url}/never` });
    const event = await createTestEvent({ sourceId, destinationIds: [one.id, two.id], body: '{"id":"evt_replay","n":1}' });
    for (const delivery of event.deliveries) await waitForStatus(delivery.id, 'succeeded');
    const originalToOne = event.deliveries.find((d) => d.destinationId === one.id)!;

    const single = await call(replayEventRoute, { key: support, id: event.id, body: { destinationId: one.id } });
    expect(single.status).toBe(202);
    expect(single.body.deliveries).toHaveLength(1);
    const replayId = single.body.deliveries[0];
    await waitForStatus(replayId, 'succeeded');
    const replayRow = await db().delivery.findUniqueOrThrow({ where: { id: replayId } });
    expect(replayRow).toMatchObject({ eventId: event.id, destinationId: one.id, replayOfId: originalToOne.id });
    expect(replayRow.replayedBy).toContain('support');
    const sent = received(replayId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe('/one');
    expect(sent[0]!.body.toString()).toBe('{"id":"evt_replay","n":1}');

    const all = await call(replayEventRoute, { key: support, id: event.id, body: {} });
    expect(all.status).toBe(202);
    expect(all.body.deliveries).toHaveLength(2);
    for (const id of all.body.deliveries) await waitForStatus(id, 'succeeded');
    const rows = await db().delivery.findMany({ where: { id: { in: all.body.deliveries } } });
    // To destination one it replays the latest delivery there: the first replay.
    expect(rows.find((r) => r.destinationId === one.id)!.replayOfId).toBe(replayId);
    expect(rows.find((r) => r.destinationId === two.id)!.replayOfId).toBe(event.deliveries.find((d) => d.destinationId === two.id)!.id);

    const audits = await db().auditLog.findMany({ where: { action: 'event.replay', targetId: event.id } });
    expect(audits).toHaveLength(2);
    expect(audits.every((a) => a.actorLabel.includes('support'))).toBe(true);

    const elsewhere = await call(replayEventRoute, { key: support, id: event.id, body: { destinationId: never.id } });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.message).toMatch(/never delivered to this destination/);
    expect((await call(replayEventRoute, { key: support, id: event.id, body: { destinationId: newId() } })).status).toBe(404);
    expect((await call(replayEventRoute, { key: support, id: newId(), body: {} })).status).toBe(404);
    expect((await call(replayEventRoute, { key: support, id: event.id, body: { destinationId: 'x' } })).status).toBe(422);
  });
});

describe('bulk replays', () => {
  it('counts first (dry run) and refuses a filter that would match everything by accident', async () => {
    const destination = await createTestDestination({ url: sink.url, data: { status: 'paused' } });
    await createBulkDeliveries(sourceId, destination.id, 12, 'failed');
    const dry = await call(createReplayRoute, { key: support, body: { filter: { destinationId: destination.id, status: 'failed' }, dryRun: true } });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ count: 12 });
    expect(await db().replay.count()).toBe(0);

    const empty = await call(createReplayRoute, { key: support, body: { filter: {} } });
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toMatch(/"all": true/);
    const everything = await call(createReplayRoute, { key: support, body: { filter: { all: true }, dryRun: true } });
    expect(everything.status).toBe(200);
    expect(everything.body.count).toBeGreaterThanOrEqual(12);
    const pending = await call(createReplayRoute, { key: support, body: { filter: { destinationId: destination.id, status: 'pending' }, dryRun: true } });
    expect(pending.status).toBe(422);
    expect(pending.body.error.message).toMatch(/Only finished deliveries/);
  });

  it('re-sends every failed delivery of a destination, throttled, and shows progress', async () => {
    sinkStatus = 200;
    const destination = await createTestDestination({ url: `${sink.url}/bulk`, data: { maxConcurrency: 50 } });
    await createBulkDeliveries(sourceId, destination.id, 30, 'failed');
    const started = await call(createReplayRoute, { key: support, body: { filter: { destinationId: destination.id, status: 'failed' }, ratePerSecond: 20 } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ count: 30 });
    const replayId: string = started.body.id;
    // Created after the start: not part of this replay.
    await createBulkDeliveries(sourceId, destination.id, 5, 'failed');

    const t0 = new Date();
    const deliveredCount = (n: number) =>
      untilWorkerShows(worker, async () => (await db().delivery.count({ where: { replayId, status: 'succeeded' } })) === n, `${n} replayed deliveries`, 20_000);
    // The first tick makes a tenth of the rate (at least 10); the window doubles while the destination keeps up.
    expect((await processBulkReplays(sql(), { now: t0 })).created).toBe(10);
    await deliveredCount(10);
    expect((await processBulkReplays(sql(), { now: t0 })).created).toBe(10);
    expect((await processBulkReplays(sql(), { now: t0 })).created).toBe(0); // the rate: 20 in the first second, no more
    const progress = await call(getReplayRoute, { key: viewer, id: replayId });
    expect(progress.body).toMatchObject({ status: 'running', total: 30, processed: 20 });
    expect(progress.body.createdBy).toContain('support');
    await deliveredCount(20);
    expect((await processBulkReplays(sql(), { now: new Date(t0.getTime() + 1000) })).created).toBe(10);
    expect((await processBulkReplays(sql(), { now: new Date(t0.getTime() + 2000) })).created).toBe(0);

    await untilWorkerShows(
      worker,
      async () => (await db().delivery.count({ where: { replayId, status: 'succeeded' } })) === 30,
      '30 replayed deliveries',
      20_000,
    );
    const done = await call(getReplayRoute, { key: viewer, id: replayId });
    expect(done.body).toMatchObject({ status: 'completed', total: 30, processed: 30, deliveries: { succeeded: 30 } });
    expect(done.body.finishedAt).not.toBeNull();

    const rows = await db().delivery.findMany({ where: { replayId } });
    expect(new Set(rows.map((r) => r.replayOfId)).size).toBe(30);
    expect(rows.every((r) => r.replayedBy?.includes('support'))).toBe(true);
    const paths = sink.received.filter((r) => r.path === '/bulk');
    expect(paths).toHaveLength(30);

    // What is left failed: the 5 made after the start. The 30 are now represented by their replays.
    const again = await call(createReplayRoute, { key: support, body: { filter: { destinationId: destination.id, status: 'failed' }, dryRun: true } });
    expect(again.body.count).toBe(5);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'replay.create', targetId: replayId } });
    expect(audit.after).toMatchObject({ total: 30, ratePerSecond: 20, filter: { destinationId: destination.id, status: 'failed' } });
  });

  it('backs off while the destination already has a queue of due deliveries', async () => {
    // Disabled, so that the worker leaves the queue alone (a paused destination's held rows are no backlog).
    const destination = await createTestDestination({ url: sink.url, data: { status: 'disabled' } });
    await createBulkDeliveries(sourceId, destination.id, 10, 'failed');
    const started = await call(createReplayRoute, { key: support, body: { filter: { destinationId: destination.id }, ratePerSecond: 100 } });
    const replayId: string = started.body.id;
    // A queue of 30 due deliveries that nobody has claimed yet (the destination is disabled).
    await createBulkDeliveries(sourceId, destination.id, 30, 'pending');
    const t0 = Date.now();
    expect((await processBulkReplays(sql(), { now: new Date(t0) })).created).toBe(0);
    expect(await db().replay.findUniqueOrThrow({ where: { id: replayId } })).toMatchObject({ status: 'running', processed: 0 });
    // Once the destination has drained its queue, the replay goes on.
    await db().delivery.updateMany({ where: { destinationId: destination.id, status: 'pending', replayId: null }, data: { status: 'succeeded' } });
    expect((await processBulkReplays(sql(), { now: new Date(t0 + 1000) })).created).toBe(10);
    expect(await db().replay.findUniqueOrThrow({ where: { id: replayId } })).toMatchObject({ status: 'completed', processed: 10 });
  });

  it('cancel stops it and cancels the deliveries it made that were not sent yet', async () => {
    const destination = await createTestDestination({ url: sink.url, data: { status: 'paused' } });
    await createBulkDeliveries(sourceId, destination.id, 30, 'failed');
    const started = await call(createReplayRoute, { key: support, body: { filter: { destinationId: destination.id }, ratePerSecond: 10 } });
    const replayId: string = started.body.id;
    const t0 = new Date();
    expect((await processBulkReplays(sql(), { now: t0 })).created).toBe(10);
    expect((await call(getReplayRoute, { key: viewer, id: replayId })).body.deliveries).toEqual({ paused: 10 }); // held: the destination is paused

    const cancelled = await call(cancelReplayRoute, { key: support, id: replayId });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', processed: 10, cancelledDeliveries: 10, deliveries: { cancelled: 10 } });
    expect(cancelled.body.cancelledBy).toContain('support');
    expect((await processBulkReplays(sql(), { now: new Date(t0.getTime() + 5000) })).created).toBe(0);
    expect(await db().delivery.count({ where: { replayId } })).toBe(10);
    expect((await call(cancelReplayRoute, { key: support, id: replayId })).body).toMatchObject({ status: 'cancelled', cancelledDeliveries: 0 });
    expect(await db().auditLog.count({ where: { action: 'replay.cancel', targetId: replayId } })).toBe(1);
    expect((await call(getReplayRoute, { key: viewer, id: newId() })).status).toBe(404);
  });

  it('two workers ticking at once never create a delivery twice', async () => {
    const destination = await createTestDestination({ url: sink.url, data: { status: 'paused' } });
    await createBulkDeliveries(sourceId, destination.id, 150, 'failed');
    const started = await call(createReplayRoute, { key: support, body: { filter: { destinationId: destination.id }, ratePerSecond: 40 } });
    const replayId: string = started.body.id;
    const t0 = Date.now();
    let created = 0;
    for (let second = 0; second < 10; second++) {
      const now = new Date(t0 + second * 1000);
      const results = await Promise.all([processBulkReplays(sql(), { now }), processBulkReplays(sql(), { now }), processBulkReplays(sql(), { now })]);
      const thisTick = results.reduce((sum, r) => sum + r.created, 0);
      expect(thisTick).toBeLessThanOrEqual(40);
      created += thisTick;
    }
    expect(created).toBe(150);
    const rows = await db().delivery.findMany({ where: { replayId }, select: { replayOfId: true } });
    expect(rows).toHaveLength(150);
    expect(new Set(rows.map((r) => r.replayOfId)).size).toBe(150);
    expect(await db().replay.findUniqueOrThrow({ where: { id: replayId } })).toMatchObject({ status: 'completed', processed: 150, total: 150 });
  });
});
