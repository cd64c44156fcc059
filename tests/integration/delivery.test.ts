import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { CIRCUIT_THRESHOLD } from '@/lib/worker/destination-health';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { flushDeliveryStats } from '@/lib/worker/delivery-stats';
import { addSigningSecret, configChanged, createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';
import { type Sink, startSink } from '../support/sink';
import { recordedTo, waitForEvent, waitForEvents } from '../support/worker-events';

let worker: DeliveryWorker;
let sink: Sink;
let sourceId: string;

beforeAll(async () => {
  sourceId = (await createTestSource({ provider: 'none' })).source.id;
  worker = new DeliveryWorker(sql, { pollIntervalMs: 50, leaseRecoveryIntervalMs: 200, leaseMarginSeconds: 1, recordDelayMs: 1 });
  await worker.start();
});

afterEach(async () => {
  await sink?.close();
});

afterAll(async () => {
  await worker.stop();
  await closeSql();
  await db().$disconnect();
});

const deliveryOf = (eventId: string) => db().delivery.findFirstOrThrow({ where: { eventId }, include: { attempts: { orderBy: { attemptNumber: 'asc' } } } });

describe('the delivery worker', () => {
  it('does not follow a redirect: a 302 is recorded as the answer, and its target gets nothing', async () => {
    // A receiver (or whoever took over its DNS) that answers 302 must not steer the signed request,
    // headers and body, to another address, such as the metadata service or an internal host.
    const target = await startSink(() => ({ status: 200 }));
    sink = await startSink(() => ({ status: 302, headers: { location: `${target.url}/stolen` }, body: 'moved' }));
    try {
      const destination = await createTestDestination({ url: `${sink.url}/hook`, data: { retrySchedule: [0] } });
      const finished = waitForEvent(worker, 'attempt:finish', recordedTo(destination.id));
      const event = await createTestEvent({ sourceId, destinationIds: [destination.id] });
      await finished;
      const delivery = await deliveryOf(event.id);
      expect(delivery.attempts.map((a) => [a.responseStatus, a.errorKind])).toEqual([[302, 'http_status']]);
      expect(delivery.status).not.toBe('succeeded');
      expect(sink.received).toHaveLength(1);
      expect(target.received).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it('retries a receiver that fails twice, records every attempt, and ends succeeded', async () => {
    sink = await startSink((_request, index) => (index < 2 ? { status: 500, body: 'not yet' } : { status: 204 }));
    const destination = await createTestDestination({ url: `${sink.url}/hook`, data: { retrySchedule: [0, 0, 0, 0] } });
    const succeeded = waitForEvent(
      worker,
      'attempt:finish',
      recordedTo(destination.id, ({ outcome }) => outcome.errorKind === null),
    );
    const event = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await succeeded;
    const delivery = await deliveryOf(event.id);
    expect(delivery.status).toBe('succeeded');
    expect(delivery.attempts.map((a) => [a.attemptNumber, a.responseStatus, a.errorKind])).toEqual([
      [1, 500, 'http_status'],
      [2, 500, 'http_status'],
      [3, 204, null],
    ]);
    expect(Buffer.from(delivery.attempts[0]!.responseBody!).toString()).toBe('not yet');
    expect(delivery.attemptCount).toBe(3);
    expect(sink.received).toHaveLength(3);
  });

  it('forwards the body byte for byte with the original headers, and a signature standardwebhooks accepts', async () => {
    sink = await startSink(() => ({ status: 200 }));
    const destination = await createTestDestination({ url: `${sink.url}/in`, data: { headers: { authorization: 'Bearer downstream-token' } } });
    const secret = await addSigningSecret(destination.id);
    const sent = waitForEvent(worker, 'attempt:finish', recordedTo(destination.id));
    const body = '{"id":"evt_1",  "amount": 1.50, "note":"caf\u00e9 \\u00e9"}';
    const event = await createTestEvent({
      sourceId,
      destinationIds: [destination.id],
      body,
      headers: {
        'content-type': 'application/json',
        'stripe-signature': 't=1,v1=abc',
        connection: 'keep-alive',
        host: 'hooks.example.com',
        'x-custom': 'kept',
      },
    });
    await sent;
    expect(sink.received).toHaveLength(1);
    const received = sink.received[0]!;
    expect(received.body.equals(Buffer.from(body))).toBe(true);
    expect(received.headers).toMatchObject({
      'stripe-signature': 't=1,v1=abc',
      'x-custom': 'kept',
      authorization: 'Bearer downstream-token',
      'x-hookyard-event-id': event.id,
    });
    expect(received.headers.host).not.toBe('hooks.example.com');
    const verified = new Webhook(secret).verify(received.body.toString(), received.headers as Record<string, string>);
    expect(verified).toMatchObject({ id: 'evt_1' });
    expect(() => new Webhook(secret).verify(`${received.body.toString()} `, received.headers as Record<string, string>)).toThrow();
  });

  it('classifies a timeout and schedules the next attempt', async () => {
    sink = await startSink(() => ({ status: 200, delayMs: 3000 }));
    const destination = await createTestDestination({ url: sink.url, data: { timeoutMs: 300, retrySchedule: [0, 60, 60] } });
    const attempted = waitForEvent(worker, 'attempt:finish', recordedTo(destination.id));
    const event = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await attempted;
    const delivery = await deliveryOf(event.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: [{ errorKind: 'timeout', responseStatus: null }] });
    expect(delivery.attempts[0]!.durationMs).toBeLessThan(2000);
    const wait = (delivery.nextAttemptAt.getTime() - Date.now()) / 1000;
    expect(wait).toBeGreaterThan(45); // 60 s ± 10 % jitter, minus the time since
    expect(wait).toBeLessThan(67);
  });

  it('classifies a refused connection', async () => {
    const destination = await createTestDestination({ url: 'http://127.0.0.1:1/closed', data: { retrySchedule: [0, 30] } });
    const attempted = waitForEvent(worker, 'attempt:finish', recordedTo(destination.id));
    const event = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await attempted;
    const delivery = await deliveryOf(event.id);
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]).toMatchObject({ errorKind: 'refused' });
    expect(delivery.status).toBe('pending');
  });

  it('honours Retry-After on a 429 when it asks for longer than the schedule', async () => {
    sink = await startSink(() => ({ status: 429, headers: { 'retry-after': '120' } }));
    const destination = await createTestDestination({ url: sink.url, data: { retrySchedule: [0, 5, 5] } });
    const attempted = waitForEvent(worker, 'attempt:finish', recordedTo(destination.id));
    const event = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await attempted;
    const delivery = await deliveryOf(event.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: [{ responseStatus: 429, errorKind: 'http_status' }] });
    const wait = (delivery.nextAttemptAt.getTime() - Date.now()) / 1000;
    expect(wait).toBeGreaterThan(110);
    expect(wait).toBeLessThanOrEqual(120);
  });

  it('marks a delivery failed when its schedule is used up, and raises one alert', async () => {
    sink = await startSink(() => ({ status: 503 }));
    const destination = await createTestDestination({ url: sink.url, data: { retrySchedule: [0, 0, 0] } });
    const attempts = waitForEvents(worker, 'attempt:finish', 6, recordedTo(destination.id));
    const first = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    const second = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    // An attempt is reported once its outcome, and then the alert it raises, are written.
    await attempts;
    for (const event of [first, second]) {
      const delivery = await deliveryOf(event.id);
      expect(delivery.status).toBe('failed');
      expect(delivery.attempts).toHaveLength(3);
      expect(delivery.completedAt).not.toBeNull();
    }
    const alerts = await db().alert.findMany({ where: { destinationId: destination.id, kind: 'delivery_exhausted' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: 'open', details: { count: 2 } });
    await flushDeliveryStats();
    const stats = await db().destinationMinuteStat.findMany({ where: { destinationId: destination.id } });
    expect(stats.reduce((sum, row) => sum + row.failed, 0)).toBe(6);
    expect(stats.reduce((sum, row) => sum + row.exhausted, 0)).toBe(2);
  });

  it('holds deliveries of a paused destination and sends them on resume', async () => {
    sink = await startSink(() => ({ status: 200 }));
    const destination = await createTestDestination({ url: sink.url, data: { status: 'paused' } });
    const event = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sink.received).toHaveLength(0);
    const sent = waitForEvent(worker, 'attempt:finish', recordedTo(destination.id));
    await db().destination.update({ where: { id: destination.id }, data: { status: 'active' } });
    await configChanged();
    await sent;
    expect((await deliveryOf(event.id)).status).toBe('succeeded');
    expect(sink.received).toHaveLength(1);
  });

  it('keeps one ordering key in order behind a failing head while other keys flow', async () => {
    sink = await startSink((request) => (request.body.toString().includes('"key":"A","n":1') ? { status: 500 } : { status: 200 }));
    const destination = await createTestDestination({ url: sink.url, data: { orderingKey: 'key', retrySchedule: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1] } });
    const base = Date.now() - 10_000;
    const isKey = (key: string) => recordedTo(destination.id, ({ delivery }) => delivery.orderingKey === key);
    // Both of B, and the head of A at least twice (it fails, and is retried after a second).
    const flowed = Promise.all([waitForEvents(worker, 'attempt:finish', 2, isKey('B')), waitForEvents(worker, 'attempt:finish', 2, isKey('A'))]);
    const events = [];
    for (const [i, key, n] of [
      [0, 'A', 1],
      [1, 'B', 1],
      [2, 'A', 2],
      [3, 'B', 2],
      [4, 'A', 3],
    ] as const) {
      events.push(
        await createTestEvent({
          sourceId,
          destinationIds: [destination.id],
          orderingKey: key,
          body: JSON.stringify({ key, n }),
          receivedAt: new Date(base + i * 10),
        }),
      );
    }
    await flowed;
    const bodies = sink.received.map((r) => JSON.parse(r.body.toString()) as { key: string; n: number });
    expect(bodies.filter((b) => b.key === 'B').map((b) => b.n)).toEqual([1, 2]);
    expect(bodies.filter((b) => b.key === 'A').every((b) => b.n === 1)).toBe(true);
    expect(bodies.filter((b) => b.key === 'A').length).toBeGreaterThanOrEqual(2);
    const waiting = await db().delivery.findMany({ where: { eventId: { in: [events[2]!.id, events[4]!.id] } } });
    expect(waiting.every((d) => d.status === 'pending' && d.attemptCount === 0)).toBe(true);
  });

  it('opens the circuit after a run of failures and stops sending for the cool-down', async () => {
    sink = await startSink(() => ({ status: 500 }));
    const destination = await createTestDestination({ url: sink.url, data: { retrySchedule: new Array(30).fill(0) } });
    // Health is updated before an attempt is reported: after the threshold's failures the circuit is open.
    const failures = waitForEvents(worker, 'attempt:finish', CIRCUIT_THRESHOLD, recordedTo(destination.id));
    for (let i = 0; i < 3; i++) await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await failures;
    const opened = await db().destination.findUniqueOrThrow({ where: { id: destination.id } });
    expect(opened.circuitState).toBe('open');
    expect(opened.consecutiveFailures).toBeGreaterThanOrEqual(CIRCUIT_THRESHOLD);
    expect(opened.circuitRetryAt!.getTime()).toBeGreaterThan(Date.now() + 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentWhenOpen = sink.received.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(sink.received.length).toBe(sentWhenOpen);
    expect(await db().alert.count({ where: { destinationId: destination.id, kind: 'destination_circuit_open' } })).toBe(1);
  });

  it('disables a destination that has failed for longer than its limit, with an alert', async () => {
    sink = await startSink(() => ({ status: 500 }));
    const destination = await createTestDestination({
      url: sink.url,
      data: { retrySchedule: [0, 60], failingSince: new Date(Date.now() - 6 * 86_400_000), consecutiveFailures: 3 },
    });
    const attempted = waitForEvent(worker, 'attempt:finish', recordedTo(destination.id));
    await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await attempted;
    const disabled = await db().destination.findUniqueOrThrow({ where: { id: destination.id } });
    expect(disabled.status).toBe('disabled');
    expect(disabled.disabledAt).not.toBeNull();
    expect(await db().alert.count({ where: { destinationId: destination.id, kind: 'destination_disabled' } })).toBe(1);
  });
});
