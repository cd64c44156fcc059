/**
 * The circuit breaker as support staff see it, against a real worker and receiver: deliveries
 * an open circuit holds are reported (a `held` view of pending, with the next probe), a support
 * user can ask for the probe now (audited; the circuit goes half-open and the next claim probes
 * at once), and alerts resolve themselves when their condition clears: `destination_circuit_open` when the
 * circuit closes, `delivery_exhausted` when the destination's failures were replayed successfully.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/principal';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { listHeldByCircuit } from '@/lib/deliveries/held-by-circuit';
import { listDeliveries } from '@/lib/deliveries/list-deliveries';
import { getEventOrThrow } from '@/lib/events/get-event';
import { listDeliveriesQuerySchema } from '@/lib/list-filters/list-filter.schema';
import { replayFailedDeliveries } from '@/lib/replay/replay-failed';
import { CIRCUIT_THRESHOLD } from '@/lib/worker/destination-health';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { probeDestinationNow } from '@/lib/worker/probe-now';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';
import { type Sink, startSink } from '../support/sink';
import { recordedTo, untilWorkerShows, waitForEvents } from '../support/worker-events';

const support: Principal = { kind: 'user', id: newId(), label: 'support@circuit.test', role: 'SUPPORT' };

let worker: DeliveryWorker;
let sink: Sink | undefined;
let sourceId: string;

beforeAll(async () => {
  sourceId = (await createTestSource({ provider: 'none', slug: 'circuit-held' })).source.id;
  worker = new DeliveryWorker(sql, { pollIntervalMs: 50, leaseRecoveryIntervalMs: 200, leaseMarginSeconds: 1, recordDelayMs: 1 });
  await worker.start();
});

afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

afterAll(async () => {
  await worker.stop();
  await closeSql();
  await db().$disconnect();
});

describe('an open circuit', () => {
  it('holds pending deliveries visibly, probes at once when support asks, and resolves its alert when it closes', async () => {
    let healthy = false;
    sink = await startSink(() => ({ status: healthy ? 200 : 500 }));
    const destination = await createTestDestination({ url: sink.url, data: { name: 'Circuit receiver', retrySchedule: new Array(30).fill(0) } });
    const failures = waitForEvents(worker, 'attempt:finish', CIRCUIT_THRESHOLD, recordedTo(destination.id));
    const events = [];
    for (let i = 0; i < 3; i++) events.push(await createTestEvent({ sourceId, destinationIds: [destination.id] }));
    await failures;
    const open = await db().destination.findUniqueOrThrow({ where: { id: destination.id } });
    expect(open.circuitState).toBe('open');
    expect(await db().alert.count({ where: { destinationId: destination.id, kind: 'destination_circuit_open', status: 'open' } })).toBe(1);

    // Held, wherever it shows: the `held` filter, the event's delivery card, the failed queue's summary.
    // A send claimed before the circuit opened may still be finishing: wait until all three wait behind it.
    const held = await untilWorkerShows(
      worker,
      async () => {
        const page = await listDeliveries(listDeliveriesQuerySchema.parse({ status: 'held', destinationId: destination.id }));
        return page.data.length === 3 ? page : null;
      },
      'three held deliveries',
    );
    expect(held.data.every((row) => row.status === 'pending' && row.heldByCircuit?.nextProbeAt.getTime() === open.circuitRetryAt!.getTime())).toBe(true);
    // `pending` still includes them (held is a view of it, not a new status).
    expect((await listDeliveries(listDeliveriesQuerySchema.parse({ status: 'pending', destinationId: destination.id }))).data).toHaveLength(3);
    const event = await getEventOrThrow(events[0]!.id, 'ADMIN');
    expect(event.deliveries[0]).toMatchObject({ status: 'pending', heldByCircuit: { nextProbeAt: open.circuitRetryAt } });
    expect(event.deliveries[0]!.destination).not.toHaveProperty('circuitState');
    const summary = await listHeldByCircuit({ destinationId: destination.id });
    expect(summary).toEqual([expect.objectContaining({ destination: { id: destination.id, name: 'Circuit receiver' }, count: 3 })]);

    // The receiver is fixed; asking for the probe sends one at once instead of after the 30 s cool-down.
    healthy = true;
    const probed = waitForEvents(
      worker,
      'attempt:finish',
      3,
      recordedTo(destination.id, (finish) => finish.outcome.errorKind === null),
    );
    const requested = await probeDestinationNow(destination.id, support);
    expect(requested.circuitState).toBe('half_open');
    expect(requested.nextProbeAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    await probed;
    const closed = await db().destination.findUniqueOrThrow({ where: { id: destination.id } });
    expect(closed.circuitState).toBe('closed');
    expect(await listHeldByCircuit({ destinationId: destination.id })).toEqual([]);

    const [alert] = await db().alert.findMany({ where: { destinationId: destination.id, kind: 'destination_circuit_open' } });
    expect(alert).toMatchObject({ status: 'resolved', resolvedBy: 'system' });
    expect(alert!.resolvedAt).not.toBeNull();
    expect(alert!.details).toMatchObject({ resolution: expect.stringContaining('circuit closed') });

    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'destination.probe', targetId: destination.id } });
    expect(audit).toMatchObject({ actorLabel: 'support@circuit.test', before: { circuitState: 'open' }, after: { circuitState: 'half_open' } });
  });

  it('refuses a probe when the circuit is closed (409)', async () => {
    const destination = await createTestDestination({ url: 'http://127.0.0.1:9/closed' });
    await expect(probeDestinationNow(destination.id, support)).rejects.toMatchObject({ status: 409 });
    await expect(probeDestinationNow(newId(), support)).rejects.toMatchObject({ status: 404 });
  });
});

describe('a delivery_exhausted alert', () => {
  it('resolves itself once every failure of the destination was replayed successfully, and not before', async () => {
    let healthy = false;
    sink = await startSink(() => ({ status: healthy ? 200 : 503 }));
    const destination = await createTestDestination({ url: sink.url, data: { retrySchedule: [0] } });
    const exhausted = waitForEvents(worker, 'attempt:finish', 2, recordedTo(destination.id));
    const first = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    const second = await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await exhausted;
    const failed = await db().delivery.findMany({ where: { eventId: { in: [first.id, second.id] } }, orderBy: { createdAt: 'asc' } });
    expect(failed.map((d) => d.status)).toEqual(['failed', 'failed']);
    const alertOf = () => db().alert.findFirstOrThrow({ where: { destinationId: destination.id, kind: 'delivery_exhausted' } });
    expect(await alertOf()).toMatchObject({ status: 'open', details: { count: 2 } });

    healthy = true;
    // One replayed: the other still waits, so the alert stays open.
    await replayFailedDeliveries([failed[0]!.id], support);
    await untilWorkerShows(worker, async () => (await db().delivery.count({ where: { eventId: first.id, status: 'succeeded' } })) === 1, 'first replay');
    expect((await alertOf()).status).toBe('open');

    await replayFailedDeliveries([failed[1]!.id], support);
    const resolved = await untilWorkerShows(
      worker,
      async () => {
        const alert = await alertOf();
        return alert.status === 'resolved' ? alert : null;
      },
      'alert resolved',
    );
    expect(resolved).toMatchObject({ resolvedBy: 'system', details: { resolution: expect.stringContaining('replayed successfully') } });
  });
});
