/**
 * Lost leases are attempts, and dead workers are noticed by their heartbeat: real worker
 * processes (`scripts/worker.ts`) killed with SIGKILL, and lease recovery run directly.
 */
import { hostname } from 'node:os';
import { afterAll, afterEach, expect, it } from 'vitest';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { flushDeliveryStats } from '@/lib/worker/delivery-stats';
import { recoverLostLeases } from '@/lib/worker/recover-lost-leases';
import { listWorkers, recordHeartbeat, WORKER_GONE_AFTER_MS } from '@/lib/worker/worker-registry';
import { createBulkDeliveries, createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';
import { type Sink, startSink, waitFor } from '../support/sink';
import { hasExited, startWorkerProcess, waitForRegistration, type WorkerProcess } from '../support/worker-process';

const sinks: Sink[] = [];
const workers: WorkerProcess[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
  await Promise.all(sinks.splice(0).map((sink) => sink.close()));
});

afterAll(async () => {
  await flushDeliveryStats();
  await closeSql();
  await db().$disconnect();
});

const attemptsOf = (deliveryId: string) => db().attempt.findMany({ where: { deliveryId }, orderBy: { attemptNumber: 'asc' } });

it('a delivery whose processing kills its worker fails with worker_lost once its schedule is used up; the rest is delivered', async () => {
  let current: WorkerProcess | undefined;
  const poisonSink = await startSink(() => {
    // The request itself is what kills the worker that sends it (the only one running).
    try {
      if (current?.child.pid) process.kill(current.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    return { status: 200, delayMs: 10_000 };
  });
  const healthySink = await startSink(() => ({ status: 200, delayMs: 20 }));
  sinks.push(poisonSink, healthySink);
  const { source } = await createTestSource({ provider: 'none' });
  // Lease = timeout 2 s + margin 1 s (tests/support/worker-process.ts): each kill is noticed within ~3.5 s.
  const poisoned = await createTestDestination({ url: poisonSink.url, data: { retrySchedule: [0, 1, 1], timeoutMs: 2000 } });
  const healthy = await createTestDestination({ url: healthySink.url, data: { retrySchedule: [0, 1, 1, 1, 1, 1, 1, 1] } });
  const poison = (await createTestEvent({ sourceId: source.id, destinationIds: [poisoned.id] })).deliveries[0]!;
  await createBulkDeliveries(source.id, healthy.id, 30);

  const killed: WorkerProcess[] = [];
  const status = async () => (await db().delivery.findUniqueOrThrow({ where: { id: poison.id } })).status;
  await waitFor(
    async () => {
      if (!current || hasExited(current)) {
        if (current) killed.push(current);
        current = startWorkerProcess();
        workers.push(current);
      }
      return (await status()) === 'failed';
    },
    120_000,
    'the poisoned delivery to fail',
  );
  await waitFor(
    async () => (await db().delivery.count({ where: { destinationId: healthy.id, status: 'succeeded' } })) === 30,
    60_000,
    'the healthy deliveries',
  );

  const delivery = await db().delivery.findUniqueOrThrow({ where: { id: poison.id } });
  expect(delivery).toMatchObject({ status: 'failed', attemptCount: 3, leaseOwner: null });
  expect(delivery.lastError).toMatch(/^worker_lost: /);
  const attempts = await attemptsOf(poison.id);
  expect(attempts.map((a) => [a.attemptNumber, a.errorKind])).toEqual([
    [1, 'worker_lost'],
    [2, 'worker_lost'],
    [3, 'worker_lost'],
  ]);
  // Each attempt was sent once, by a worker that died of it, and recorded as that worker's.
  expect(poisonSink.received).toHaveLength(3);
  expect(killed.length).toBeGreaterThanOrEqual(3);
  const killedIds = new Set((await listWorkers(sql())).filter((w) => killed.some((k) => k.child.pid === w.pid)).map((w) => w.id));
  expect(attempts.every((a) => killedIds.has(a.workerId!))).toBe(true);
  for (const [i, attempt] of attempts.entries()) {
    // It starts at the claim, before the request reached the sink, and lasts until the lease lapsed.
    expect(attempt.startedAt.getTime()).toBeLessThanOrEqual(poisonSink.received[i]!.at);
    expect(attempt.durationMs).toBeGreaterThanOrEqual(3000);
    expect(attempt.errorMessage).toMatch(/lease expired/);
  }
  const alert = await db().alert.findFirst({ where: { destinationId: poisoned.id, kind: 'delivery_exhausted' } });
  expect(alert).toMatchObject({ status: 'open', deliveryId: poison.id });
  // worker_lost says nothing about the receiver: the destination's circuit stays closed.
  expect(await db().destination.findUniqueOrThrow({ where: { id: poisoned.id } })).toMatchObject({ circuitState: 'closed', consecutiveFailures: 0 });
}, 180_000);

it('a killed worker is listed as gone after the threshold, and its deliveries come back long before their leases expire', async () => {
  let answer = { status: 200, delayMs: 120_000 };
  const sink = await startSink(() => answer);
  sinks.push(sink);
  const { source } = await createTestSource({ provider: 'none' });
  // A 60 s timeout: the leases would last 61 s.
  const destination = await createTestDestination({ url: sink.url, data: { timeoutMs: 60_000, retrySchedule: [0, 1, 60] } });
  await createBulkDeliveries(source.id, destination.id, 5);

  const doomed = startWorkerProcess();
  workers.push(doomed);
  const doomedRow = await waitForRegistration(doomed);
  await waitFor(() => sink.received.length === 5, 30_000, 'all five in flight');
  const leases = await db().delivery.findMany({
    where: { destinationId: destination.id },
    select: { leaseOwner: true, leaseExpiresAt: true, claimedAt: true },
  });
  expect(leases.every((row) => row.leaseOwner === doomedRow.id)).toBe(true);
  await doomed.stop('SIGKILL');
  const killedAt = Date.now();
  answer = { status: 200, delayMs: 10 };
  // Not at once: the threshold is the heartbeat's age, so a worker is not taken for dead too soon.
  expect((await listWorkers(sql())).find((w) => w.id === doomedRow.id)?.state).toBe('live');

  const rescuer = startWorkerProcess();
  workers.push(rescuer);
  const rescuerRow = await waitForRegistration(rescuer);

  await waitFor(async () => (await listWorkers(sql())).find((w) => w.id === doomedRow.id)?.state === 'gone', 30_000, 'the killed worker to be gone');
  const goneAfter = Date.now() - killedAt;
  // Its last heartbeat was about one interval (2 s) before the kill, or a little more on a busy machine.
  expect(goneAfter).toBeGreaterThan(WORKER_GONE_AFTER_MS - 4_000);
  expect(goneAfter).toBeLessThan(WORKER_GONE_AFTER_MS + 5_000);

  const lost = await waitFor(
    async () => {
      const rows = await db().attempt.findMany({ where: { delivery: { destinationId: destination.id }, errorKind: 'worker_lost' } });
      return rows.length === 5 ? rows : null;
    },
    30_000,
    'five worker_lost attempts',
  );
  const recoveredAfter = Date.now() - killedAt;
  expect(recoveredAfter).toBeLessThan(20_000); // the leases had ~45 s left
  const earliestExpiry = Math.min(...leases.map((row) => row.leaseExpiresAt!.getTime()));
  expect(Date.now()).toBeLessThan(earliestExpiry - 20_000);
  const arrivedAt = new Map(sink.received.map((r) => [String(r.headers['x-hookyard-delivery-id']), r.at]));
  for (const attempt of lost) {
    expect(attempt).toMatchObject({ attemptNumber: 1, workerId: doomedRow.id, responseStatus: null });
    expect(attempt.errorMessage).toMatch(/stopped sending heartbeats/);
    // Started at the claim (before the send reached the sink), lasted until the takeover.
    expect(attempt.startedAt.getTime()).toBeLessThanOrEqual(arrivedAt.get(attempt.deliveryId)!);
    expect(attempt.durationMs).toBeGreaterThan(WORKER_GONE_AFTER_MS - 4_000);
  }

  // The rescuer sends them again, a second later by the schedule.
  await waitFor(async () => (await db().delivery.count({ where: { destinationId: destination.id, status: 'succeeded' } })) === 5, 30_000, 'the five again');
  const second = await db().attempt.findMany({ where: { delivery: { destinationId: destination.id }, attemptNumber: 2 } });
  expect(second.map((a) => [a.errorKind, a.workerId])).toEqual(Array(5).fill([null, rescuerRow.id]));

  // A graceful stop is shown as stopped, with nothing in flight.
  expect(await rescuer.stop('SIGTERM')).toBe(0);
  expect((await listWorkers(sql())).find((w) => w.id === rescuerRow.id)).toMatchObject({ state: 'stopped', inFlight: 0 });
}, 120_000);

it('recovery takes exactly the lost rows, once each, however many workers recover at once', async () => {
  const { source } = await createTestSource({ provider: 'none' });
  const destination = await createTestDestination({ url: 'http://127.0.0.1:9/unused', data: { retrySchedule: [0, 30] } });
  const lastChance = await createTestDestination({ url: 'http://127.0.0.1:9/unused', data: { retrySchedule: [0] } });
  const future = new Date(Date.now() + 600_000);
  const past = new Date(Date.now() - 1_000);
  const claimedAt = new Date(Date.now() - 20_000);
  // Owners: a worker gone quiet, one that stopped, one alive, and one that never wrote a heartbeat.
  await recordHeartbeat(sql(), { id: 'gone-worker', host: hostname(), pid: 1, inFlight: 20 });
  await sql()`UPDATE workers SET heartbeat_at = now() - make_interval(secs => ${WORKER_GONE_AFTER_MS / 1000 + 5}) WHERE id = 'gone-worker'`;
  await recordHeartbeat(sql(), { id: 'stopped-worker', host: hostname(), pid: 2, inFlight: 0 });
  await sql()`UPDATE workers SET stopped_at = now() WHERE id = 'stopped-worker'`;
  await recordHeartbeat(sql(), { id: 'live-worker', host: hostname(), pid: 3, inFlight: 1 });

  const make = async (destinationId: string, leaseOwner: string, leaseExpiresAt: Date) => {
    const event = await createTestEvent({ sourceId: source.id, destinationIds: [destinationId] });
    const id = event.deliveries[0]!.id;
    await db().delivery.update({ where: { id }, data: { status: 'in_flight', leaseOwner, leaseExpiresAt, claimedAt } });
    return id;
  };
  const ofGone = await Promise.all(Array.from({ length: 20 }, () => make(destination.id, 'gone-worker', future)));
  const ofStopped = await make(destination.id, 'stopped-worker', future);
  const expired = await make(destination.id, 'live-worker', past);
  const exhausted = await make(lastChance.id, 'gone-worker', future);
  const ofLive = await make(destination.id, 'live-worker', future);
  const ofUnknown = await make(destination.id, 'older-process-without-heartbeat', future);

  const counts = await Promise.all(Array.from({ length: 4 }, () => recoverLostLeases(sql(), { batchSize: 5 })));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(23);

  const recovered = [...ofGone, ofStopped, expired, exhausted];
  const attempts = await db().attempt.findMany({ where: { deliveryId: { in: [...recovered, ofLive, ofUnknown] } } });
  expect(attempts).toHaveLength(recovered.length);
  expect(new Set(attempts.map((a) => a.deliveryId))).toEqual(new Set(recovered));
  expect(attempts.every((a) => a.errorKind === 'worker_lost' && a.attemptNumber === 1 && a.startedAt.getTime() === claimedAt.getTime())).toBe(true);
  expect(attempts.find((a) => a.deliveryId === ofStopped)!.errorMessage).toMatch(/stopped without recording/);
  expect(attempts.find((a) => a.deliveryId === expired)!.errorMessage).toMatch(/lease expired/);

  const rows = await db().delivery.findMany({ where: { id: { in: [...recovered, ofLive, ofUnknown] } } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const id of [...ofGone, ofStopped, expired]) {
    // Pending again at the schedule's next delay (30 s ± 10 %), as after any failed attempt.
    const row = byId.get(id)!;
    expect(row).toMatchObject({ status: 'pending', attemptCount: 1, leaseOwner: null });
    expect(row.lastError).toMatch(/^worker_lost: /);
    expect(row.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(20_000);
  }
  expect(byId.get(exhausted)).toMatchObject({ status: 'failed', attemptCount: 1 });
  expect(await db().alert.count({ where: { destinationId: lastChance.id, kind: 'delivery_exhausted', deliveryId: exhausted } })).toBe(1);
  // A live worker's lease, and an unregistered owner's lease that has not expired, are left alone.
  expect(byId.get(ofLive)).toMatchObject({ status: 'in_flight', leaseOwner: 'live-worker', attemptCount: 0 });
  expect(byId.get(ofUnknown)).toMatchObject({ status: 'in_flight', leaseOwner: 'older-process-without-heartbeat', attemptCount: 0 });
});
