/**
 * The alert rules (lib/alerts/rules) raised for real and cleared for real: bad signatures through
 * the real ingest server for the rejection spike, a failing sink and a real worker for the failure
 * rate, deliveries no worker gets to for the backlog, a source with a short expectedEvery that goes
 * quiet. Each alert queues exactly one 'raised' notification for a subscribed channel, stays one
 * alert while its condition holds, and resolves by itself with one 'resolved' notification once
 * the condition clears. Where a condition clears only with time (a window passing), the evaluator
 * is asked to evaluate as of a later time, as it would then.
 */
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlert } from '@/lib/alerts/raise-alert';
import { runAlertRules } from '@/lib/alerts/rules/evaluate-alert-rules';
import type { Principal } from '@/lib/auth/principal';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { pauseDestination, resumeDestination, updateDestination } from '@/lib/destinations/manage-destinations';
import { flushIngestStats } from '@/lib/ingest/ingest-stats';
import { flushRejections } from '@/lib/ingest/record-rejection';
import { getSourceOrThrow, updateSource } from '@/lib/sources/manage-sources';
import { flushDeliveryStats } from '@/lib/worker/delivery-stats';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { createTestDestination, createTestRoute, createTestSource } from '../support/fixtures';
import { type RunningIngestServer, startIngestServer } from '../support/ingest-server';
import { type Sink, startSink } from '../support/sink';
import { recordedTo, waitForEvents } from '../support/worker-events';

const stripe = new Stripe('sk_test_unused');
const SECRET = 'whsec_alert_rules_test_secret_0123456789';
const admin: Principal = { kind: 'user', id: newId(), label: 'admin@rules.test', role: 'ADMIN' };
const BASE_URL = 'http://localhost';

let server: RunningIngestServer;
let channelId: string;
let otherKindsChannelId: string;
let worker: DeliveryWorker | undefined;
let sink: Sink | undefined;

beforeAll(async () => {
  server = await startIngestServer('lean server');
  channelId = (await db().notificationChannel.create({ data: { name: 'on call', type: 'email', to: ['oncall@rules.test'] } })).id;
  // Subscribed to another kind only: never queued here.
  otherKindsChannelId = (
    await db().notificationChannel.create({ data: { name: 'exhausted only', type: 'email', to: ['x@rules.test'], kinds: ['delivery_exhausted'] } })
  ).id;
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await sink?.close();
  sink = undefined;
});

afterAll(async () => {
  await server.close();
  await closeSql();
  await db().$disconnect();
});

function startWorker() {
  worker = new DeliveryWorker(sql, { pollIntervalMs: 50, leaseRecoveryIntervalMs: 200, leaseMarginSeconds: 1, recordDelayMs: 1 });
  return worker.start().then(() => worker!);
}

/** One evaluation, as the worker's tick runs it (never skipped as "recent": intervalMs 0). */
async function evaluate(at?: Date) {
  await Promise.all([flushIngestStats(), flushRejections(), flushDeliveryStats()]);
  const report = await runAlertRules(sql(), { intervalMs: 0, ...(at ? { at } : {}) });
  expect(report).toMatchObject({ ran: true, errors: [] });
  return report;
}

async function alertsOf(kind: string, target: { destinationId: string } | { sourceId: string }) {
  return db().alert.findMany({ where: { kind: kind as never, ...target }, orderBy: { createdAt: 'asc' } });
}

/** The notifications queued for an alert, as `event:channel`. */
async function queued(alertId: string) {
  const rows = await db().alertNotification.findMany({ where: { alertId }, select: { event: true, channelId: true } });
  return rows.map((row) => `${row.event}:${row.channelId === channelId ? 'on call' : row.channelId === otherKindsChannelId ? 'other' : row.channelId}`).sort();
}

async function postStripe(slug: string, secret: string) {
  const body = JSON.stringify({ id: `evt_${newId()}`, object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1' } } });
  const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret });
  const response = await fetch(server.ingestUrl(slug), {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
  await response.arrayBuffer();
  return response.status;
}

async function postNone(slug: string) {
  const response = await fetch(server.ingestUrl(slug), {
    method: 'POST',
    body: JSON.stringify({ type: 'ping', id: newId() }),
    headers: { 'content-type': 'application/json' },
  });
  await response.arrayBuffer();
  return response.status;
}

const minutesLater = (minutes: number) => new Date(Date.now() + minutes * 60_000);

describe('rejection_spike', () => {
  it('is raised by a burst of bad signatures, once, and resolves when the window has passed', async () => {
    const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: SECRET }] });
    await updateSource(source.id, { alertSettings: { rejectionSpike: { threshold: 5, windowSeconds: 60 } } }, admin, BASE_URL);
    // Four rejections and a good request: under the threshold.
    for (let i = 0; i < 4; i++) expect(await postStripe(source.slug, 'whsec_the_rotated_secret_we_do_not_have')).toBe(401);
    expect(await postStripe(source.slug, SECRET)).toBe(202);
    await evaluate();
    expect(await alertsOf('rejection_spike', { sourceId: source.id })).toEqual([]);

    // The fifth: at the threshold.
    expect(await postStripe(source.slug, 'whsec_the_rotated_secret_we_do_not_have')).toBe(401);
    const report = await evaluate();
    const [alert] = await alertsOf('rejection_spike', { sourceId: source.id });
    expect(alert).toMatchObject({ status: 'open', sourceId: source.id, destinationId: null });
    expect(alert!.message).toContain(`${source.name}: 5 requests rejected in the last 1 min`);
    expect(alert!.message).toContain('(threshold 5); mostly bad_signature. Did the provider rotate its secret?');
    expect(alert!.details).toMatchObject({ observed: 5, threshold: 5, windowSeconds: 60, reasons: { bad_signature: 5 }, count: 1 });
    expect(typeof (alert!.details as { since: string }).since).toBe('string');
    expect(report.ran && report.outcomes.find((o) => o.kind === 'rejection_spike')?.raised).toEqual([alert!.id]);
    expect(await queued(alert!.id)).toEqual(['raised:on call']);

    // Still over: the same alert, not a new occurrence, and nothing more queued.
    expect(await postStripe(source.slug, 'whsec_the_rotated_secret_we_do_not_have')).toBe(401);
    await evaluate();
    expect(await alertsOf('rejection_spike', { sourceId: source.id })).toMatchObject([{ id: alert!.id, status: 'open', details: { count: 1 } }]);
    expect(await queued(alert!.id)).toEqual(['raised:on call']);

    // Three minutes on, the window holds none of them.
    await evaluate(minutesLater(3));
    const resolved = await db().alert.findUniqueOrThrow({ where: { id: alert!.id } });
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolvedBy: 'system',
      details: { resolution: 'rejections fell to 0 in the last 1 min (threshold 5)' },
    });
    expect(await queued(alert!.id)).toEqual(['raised:on call', 'resolved:on call']);
  });

  it('is not raised for a source whose rule is switched off, and an open one resolves when it is', async () => {
    const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: SECRET }] });
    await updateSource(source.id, { alertSettings: { rejectionSpike: { threshold: 2, windowSeconds: 60 } } }, admin, BASE_URL);
    for (let i = 0; i < 3; i++) expect(await postStripe(source.slug, 'whsec_wrong')).toBe(401);
    await evaluate();
    const [open] = await alertsOf('rejection_spike', { sourceId: source.id });
    expect(open?.status).toBe('open');
    await updateSource(source.id, { alertSettings: { rejectionSpike: { enabled: false } } }, admin, BASE_URL);
    await evaluate();
    expect(await db().alert.findUniqueOrThrow({ where: { id: open!.id } })).toMatchObject({
      status: 'resolved',
      details: { resolution: 'the rejection-spike rule was switched off for this source' },
    });
    expect(await alertsOf('rejection_spike', { sourceId: source.id })).toHaveLength(1);
  });
});

describe('destination_failure_rate', () => {
  it('is raised when a failing sink fails half the attempts or more, and resolves when successes bring the rate down', async () => {
    let healthy = false;
    sink = await startSink(() => ({ status: healthy ? 200 : 503 }));
    const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: SECRET }] });
    const destination = await createTestDestination({ url: sink.url, data: { name: 'Flaky orders API', retrySchedule: [0] } });
    await updateDestination(destination.id, { alertSettings: { failureRate: { threshold: 0.5, minAttempts: 6, windowSeconds: 300 } } }, admin);
    await createTestRoute({ sourceId: source.id, destinationId: destination.id });
    await startWorker();

    // Five failures: too few attempts to judge.
    let finished = waitForEvents(worker!, 'attempt:finish', 5, recordedTo(destination.id));
    for (let i = 0; i < 5; i++) expect(await postStripe(source.slug, SECRET)).toBe(202);
    await finished;
    await evaluate();
    expect(await alertsOf('destination_failure_rate', { destinationId: destination.id })).toEqual([]);

    finished = waitForEvents(worker!, 'attempt:finish', 1, recordedTo(destination.id));
    expect(await postStripe(source.slug, SECRET)).toBe(202);
    await finished;
    await evaluate();
    const [alert] = await alertsOf('destination_failure_rate', { destinationId: destination.id });
    expect(alert).toMatchObject({ status: 'open', destinationId: destination.id });
    expect(alert!.message).toMatch(
      /^Flaky orders API: 100% of 6 delivery attempts failed in the last 5 min, since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(threshold 50%\)$/,
    );
    expect(alert!.details).toMatchObject({ observed: 1, failed: 6, attempts: 6, threshold: 0.5, windowSeconds: 300, minAttempts: 6 });
    expect(await queued(alert!.id)).toEqual(['raised:on call']);

    // The receiver recovers: 7 successes make it 6 failed of 13, under 50%.
    healthy = true;
    finished = waitForEvents(worker!, 'attempt:finish', 7, recordedTo(destination.id));
    for (let i = 0; i < 7; i++) expect(await postStripe(source.slug, SECRET)).toBe(202);
    await finished;
    await evaluate();
    expect(await db().alert.findUniqueOrThrow({ where: { id: alert!.id } })).toMatchObject({
      status: 'resolved',
      resolvedBy: 'system',
      details: { resolution: 'the failure rate fell to 46.2% (6 of 13 attempts in the last 5 min; threshold 50%)' },
    });
    expect(await queued(alert!.id)).toEqual(['raised:on call', 'resolved:on call']);
    expect(await alertsOf('destination_failure_rate', { destinationId: destination.id })).toHaveLength(1);
  });
});

describe('backlog_age', () => {
  it('is raised when due deliveries wait past the threshold with no worker to send them, and resolves once they are delivered', async () => {
    sink = await startSink(() => ({ status: 200 }));
    const { source } = await createTestSource({ provider: 'none' });
    const destination = await createTestDestination({ url: sink.url, data: { name: 'Warehouse' } });
    await createTestRoute({ sourceId: source.id, destinationId: destination.id });
    for (let i = 0; i < 3; i++) expect(await postNone(source.slug)).toBe(202);

    // No worker runs: at 14 minutes they are not late enough, at 16 they are (default threshold 15 min).
    await evaluate(minutesLater(14));
    expect(await alertsOf('backlog_age', { destinationId: destination.id })).toEqual([]);
    await evaluate(minutesLater(16));
    const [alert] = await alertsOf('backlog_age', { destinationId: destination.id });
    expect(alert?.status).toBe('open');
    expect(alert!.message).toMatch(/^Warehouse: the oldest due delivery has waited 16 min, since .+ UTC \(threshold 15 min\); 3 due deliveries waiting$/);
    expect(alert!.details).toMatchObject({ thresholdSeconds: 900, dueDeliveries: 3, circuitState: 'closed' });
    expect(await queued(alert!.id)).toEqual(['raised:on call']);

    // A worker comes and delivers them.
    const delivered = waitForEvents((await startWorker())!, 'attempt:finish', 3, recordedTo(destination.id));
    await delivered;
    await evaluate(minutesLater(16));
    expect(await db().alert.findUniqueOrThrow({ where: { id: alert!.id } })).toMatchObject({
      status: 'resolved',
      details: { resolution: 'no delivery is waiting' },
    });
    expect(await queued(alert!.id)).toEqual(['raised:on call', 'resolved:on call']);
  });

  it("leaves a paused destination's held deliveries out, and resolves an open backlog alert when the destination is paused", async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const destination = await createTestDestination({ url: 'http://127.0.0.1:9/held', data: { name: 'Held on purpose' } });
    await createTestRoute({ sourceId: source.id, destinationId: destination.id });
    expect(await postNone(source.slug)).toBe(202);
    await evaluate(minutesLater(20));
    const [alert] = await alertsOf('backlog_age', { destinationId: destination.id });
    expect(alert?.status).toBe('open');

    await pauseDestination(destination.id, admin);
    await evaluate(minutesLater(40));
    expect(await db().alert.findUniqueOrThrow({ where: { id: alert!.id } })).toMatchObject({
      status: 'resolved',
      details: { resolution: 'the destination was paused: its held deliveries wait for the resume on purpose' },
    });
    expect(await alertsOf('backlog_age', { destinationId: destination.id })).toHaveLength(1);
    expect(await db().delivery.count({ where: { destinationId: destination.id, status: 'pending' } })).toBe(1);
  });
});

describe('source_silent', () => {
  it('is raised when a source with a short expectedEvery goes quiet, and resolves when an event arrives', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    await updateSource(source.id, { alertSettings: { expectedEvery: 10 } }, admin, BASE_URL);
    expect(await postNone(source.slug)).toBe(202);
    const lastEventAt = (await db().event.findFirstOrThrow({ where: { sourceId: source.id } })).receivedAt;
    await evaluate();
    expect(await alertsOf('source_silent', { sourceId: source.id })).toEqual([]);
    expect((await getSourceOrThrow(source.id, BASE_URL)).silence).toMatchObject({ expectedEvery: 10, silent: false, silentSince: null, lastEventAt });

    // It goes quiet: ten seconds after its last event it is silent.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastEventAt.getTime() + 10_100 - Date.now())));
    await evaluate();
    const [alert] = await alertsOf('source_silent', { sourceId: source.id });
    expect(alert).toMatchObject({ status: 'open', sourceId: source.id });
    expect(alert!.message).toMatch(new RegExp(`^${source.name}: no event accepted since .+ UTC, 10 s ago \\(expected every 10 s\\)$`));
    expect(alert!.details).toMatchObject({ expectedEvery: 10, lastEventAt: lastEventAt.toISOString(), since: lastEventAt.toISOString() });
    expect(await queued(alert!.id)).toEqual(['raised:on call']);
    expect((await getSourceOrThrow(source.id, BASE_URL)).silence).toMatchObject({ silent: true, silentSince: lastEventAt });

    await evaluate();
    expect(await queued(alert!.id)).toEqual(['raised:on call']);

    expect(await postNone(source.slug)).toBe(202);
    await evaluate();
    const resolved = await db().alert.findUniqueOrThrow({ where: { id: alert!.id } });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'system' });
    expect((resolved.details as { resolution: string }).resolution).toMatch(/^an event was accepted at .+ UTC$/);
    expect(await queued(alert!.id)).toEqual(['raised:on call', 'resolved:on call']);
  }, 40_000);

  it('counts a source that never received anything from when expectedEvery was set, and resolves when it is no longer watched', async () => {
    const { source } = await createTestSource({ provider: 'none', data: { createdAt: new Date(Date.now() - 86_400_000) } });
    await updateSource(source.id, { alertSettings: { expectedEvery: 3600 } }, admin, BASE_URL);
    const since = (await getSourceOrThrow(source.id, BASE_URL)).silence!.watchingSince;
    expect(Date.now() - since.getTime()).toBeLessThan(60_000);

    // Created a day ago, but watched only since now: not silent until an hour from now.
    await evaluate(new Date(since.getTime() + 59 * 60_000));
    expect(await alertsOf('source_silent', { sourceId: source.id })).toEqual([]);
    await evaluate(new Date(since.getTime() + 61 * 60_000));
    const [alert] = await alertsOf('source_silent', { sourceId: source.id });
    expect(alert!.message).toBe(
      `${source.name}: no event accepted since watching began at ${since.toISOString().slice(0, 16).replace('T', ' ')} UTC (expected every 1 h)`,
    );
    expect(await queued(alert!.id)).toEqual(['raised:on call']);

    // Changing the expectation keeps when watching began.
    await updateSource(source.id, { alertSettings: { expectedEvery: 7200 } }, admin, BASE_URL);
    expect((await getSourceOrThrow(source.id, BASE_URL)).silence!.watchingSince).toEqual(since);
    await evaluate(new Date(since.getTime() + 61 * 60_000));
    expect(await db().alert.findUniqueOrThrow({ where: { id: alert!.id } })).toMatchObject({
      status: 'resolved',
      details: { resolution: 'the source is no longer late for its expectation (every 2 h)' },
    });

    await evaluate(new Date(since.getTime() + 121 * 60_000));
    const [, again] = await alertsOf('source_silent', { sourceId: source.id });
    expect(again?.status).toBe('open');
    await updateSource(source.id, { alertSettings: { expectedEvery: null } }, admin, BASE_URL);
    expect((await getSourceOrThrow(source.id, BASE_URL)).silence).toBeNull();
    await evaluate(new Date(since.getTime() + 121 * 60_000));
    expect(await db().alert.findUniqueOrThrow({ where: { id: again!.id } })).toMatchObject({
      status: 'resolved',
      details: { resolution: 'the source is no longer watched (expectedEvery was removed)' },
    });
    expect(await queued(again!.id)).toEqual(['raised:on call', 'resolved:on call']);
  });
});

describe('re-enabling a destination', () => {
  it("resolves its destination_disabled and destination_circuit_open alerts in the resume's transaction", async () => {
    const destination = await createTestDestination({
      url: 'http://127.0.0.1:9/gone',
      data: { status: 'disabled', disabledAt: new Date(), circuitState: 'open', consecutiveFailures: 40, failingSince: new Date(Date.now() - 3_600_000) },
    });
    const disabled = await raiseAlert(sql(), { kind: 'destination_disabled', destinationId: destination.id, message: 'disabled after failing' });
    const circuit = await raiseAlert(sql(), { kind: 'destination_circuit_open', destinationId: destination.id, message: '10 failures in a row' });
    const answer = await resumeDestination(destination.id, admin);
    expect(answer).toMatchObject({ status: 'active', circuitState: 'closed', resolvedAlerts: 2 });
    expect(await db().alert.findUniqueOrThrow({ where: { id: disabled.id } })).toMatchObject({
      status: 'resolved',
      resolvedBy: 'system',
      details: { resolution: 'the destination was re-enabled (resumed)' },
    });
    expect(await db().alert.findUniqueOrThrow({ where: { id: circuit.id } })).toMatchObject({
      status: 'resolved',
      details: { resolution: 'the circuit was reset when the destination was re-enabled' },
    });
    expect(await queued(disabled.id)).toEqual(['raised:on call', 'resolved:on call']);
    expect(await queued(circuit.id)).toEqual(['raised:on call', 'resolved:on call']);
    const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: destination.id, action: 'destination.resume' } });
    expect(audit.after).toMatchObject({ resolvedAlerts: 2 });

    // Resuming a paused destination changes no circuit, so its circuit alert stays.
    await pauseDestination(destination.id, admin);
    const reopened = await raiseAlert(sql(), { kind: 'destination_circuit_open', destinationId: destination.id, message: 'open again' });
    expect(await resumeDestination(destination.id, admin)).toMatchObject({ resolvedAlerts: 0 });
    expect(await db().alert.findUniqueOrThrow({ where: { id: reopened.id } })).toMatchObject({ status: 'open' });
  });
});
