/**
 * Scale-out and crash safety with real worker processes (`scripts/worker.ts`) against one
 * database and a real local sink.
 */
import { afterAll, afterEach, expect, it } from 'vitest';
import { db } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { createBulkDeliveries, createTestDestination, createTestSource } from '../support/fixtures';
import { type Sink, startSink, waitFor } from '../support/sink';
import { startWorkerProcess, waitForRegistration, type WorkerProcess } from '../support/worker-process';

let sink: Sink | undefined;
const workers: WorkerProcess[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
  await sink?.close();
});

afterAll(async () => {
  await closeSql();
  await db().$disconnect();
});

const succeeded = (destinationId: string) => db().delivery.count({ where: { destinationId, status: 'succeeded' } });

it('two workers deliver 1,000 jobs, each once, never the same one twice at a time', async () => {
  sink = await startSink(() => ({ status: 200, delayMs: 2 }));
  const { source } = await createTestSource({ provider: 'none' });
  const destination = await createTestDestination({ url: sink.url, data: { maxConcurrency: 100 } });
  workers.push(startWorkerProcess(), startWorkerProcess());
  // Both must be running before the jobs exist: on a loaded machine one worker can take two
  // seconds longer to boot, and the other would have delivered nearly all 1,000 by then.
  await Promise.all(workers.map((worker) => waitForRegistration(worker)));
  await createBulkDeliveries(source.id, destination.id, 1000);

  await waitFor(async () => (await succeeded(destination.id)) === 1000, 60_000, '1,000 deliveries');
  const ids = sink.received.map((r) => String(r.headers['x-hookyard-delivery-id']));
  expect(new Set(ids).size).toBe(1000);
  expect(ids).toHaveLength(1000);
  expect(sink.maxConcurrentPerDelivery).toBe(1);
  const perWorker = await db().attempt.groupBy({ by: ['workerId'], _count: true, where: { delivery: { destinationId: destination.id } } });
  expect(perWorker).toHaveLength(2);
  expect(perWorker.every((row) => row._count > 50)).toBe(true);
}, 90_000);

it('a worker killed mid-batch loses nothing: another takes its jobs over when the leases lapse, each lost lease an attempt', async () => {
  sink = await startSink(() => ({ status: 200, delayMs: 1500 }));
  const { source } = await createTestSource({ provider: 'none' });
  // Lease = timeout (2 s) + margin (1 s): the jobs return to the queue 3 s after the claim.
  const destination = await createTestDestination({ url: sink.url, data: { maxConcurrency: 200, timeoutMs: 2000 } });
  await createBulkDeliveries(source.id, destination.id, 100);

  const doomed = startWorkerProcess();
  workers.push(doomed);
  const doomedId = (await waitForRegistration(doomed)).id;
  await waitFor(() => sink!.received.length >= 50, 30_000, 'the first worker to be mid-batch');
  await doomed.stop('SIGKILL');
  const killedAt = Date.now();
  // What it held when it died: sent (the sink delays its answers) but never recorded.
  const lost = await db().delivery.findMany({ where: { destinationId: destination.id, status: 'in_flight' }, select: { id: true, leaseOwner: true } });
  expect(lost.length).toBeGreaterThan(0);
  expect(lost.every((row) => row.leaseOwner === doomedId)).toBe(true);

  workers.push(startWorkerProcess());
  await waitFor(async () => (await succeeded(destination.id)) === 100, 60_000, 'all 100 deliveries after the crash');
  const rows = await db().delivery.findMany({
    where: { destinationId: destination.id },
    select: { id: true, status: true, leaseOwner: true, attempts: { orderBy: { attemptNumber: 'asc' } } },
  });
  expect(rows.every((row) => row.status === 'succeeded' && row.leaseOwner === null)).toBe(true);
  // Each lost lease is an attempt of its own (worker_lost, the dead worker's, from its claim until
  // the lease lapsed), followed by the successful resend; every other delivery took one attempt.
  const lostIds = new Set(lost.map((row) => row.id));
  for (const row of rows) {
    if (lostIds.has(row.id)) {
      expect(row.attempts.map((a) => [a.attemptNumber, a.errorKind, a.workerId === doomedId])).toEqual([
        [1, 'worker_lost', true],
        [2, null, false],
      ]);
      expect(row.attempts[0]!.durationMs).toBeGreaterThanOrEqual(3000); // nothing was taken over before the lease lapsed
    } else {
      expect(row.attempts.map((a) => [a.attemptNumber, a.errorKind])).toEqual([[1, null]]);
    }
  }
  // At least once: each delivery reached the sink, the lost ones twice (sent, then the worker died before recording).
  const sends = new Map<string, number>();
  for (const request of sink.received)
    sends.set(String(request.headers['x-hookyard-delivery-id']), (sends.get(String(request.headers['x-hookyard-delivery-id'])) ?? 0) + 1);
  expect(sends.size).toBe(100);
  for (const [id, count] of sends) {
    if (lostIds.has(id)) expect(count, id).toBeLessThanOrEqual(2);
    else expect(count, id).toBe(1);
  }
  expect(sink.received.length).toBeGreaterThan(100);
  expect(sink.maxConcurrentPerDelivery).toBe(1);
  expect(Date.now() - killedAt).toBeGreaterThan(1000);
}, 90_000);

it('on SIGTERM a worker finishes what is in flight and exits cleanly', async () => {
  sink = await startSink(() => ({ status: 200, delayMs: 800 }));
  const { source } = await createTestSource({ provider: 'none' });
  const destination = await createTestDestination({ url: `${sink.url}/graceful`, data: { maxConcurrency: 20 } });
  await createBulkDeliveries(source.id, destination.id, 40);
  const worker = startWorkerProcess();
  workers.push(worker);
  const mine = () => sink!.received.filter((r) => r.path === '/graceful');
  await waitFor(() => mine().length >= 10, 30_000, 'sends in flight');
  if (mine().length !== sink.received.length)
    throw new Error(`unexpected requests: ${JSON.stringify(sink.received.map((r) => [r.path, r.headers['x-hookyard-delivery-id']]).slice(0, 5))}`);
  const code = await worker.stop('SIGTERM');
  expect(code).toBe(0);
  const rows = await db().delivery.groupBy({ by: ['status'], _count: true, where: { destinationId: destination.id } });
  const byStatus = Object.fromEntries(rows.map((row) => [row.status, row._count]));
  // Whatever it had sent was recorded as succeeded; nothing stays leased to the stopped worker.
  expect(byStatus.in_flight ?? 0).toBe(0);
  expect(byStatus.succeeded).toBeGreaterThanOrEqual(10);
  expect((byStatus.succeeded ?? 0) + (byStatus.pending ?? 0)).toBe(40);
  expect(mine().length).toBe(byStatus.succeeded);
}, 60_000);
