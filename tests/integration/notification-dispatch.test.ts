/**
 * The dispatcher's guarantees (lib/notifications/dispatch-notifications.ts, docs/notifications.md),
 * against real channels pointed at a local receiver: failed sends retried with exponential
 * backoff and recorded in the alert's history, then given up; a channel that keeps failing
 * raises `notification_failing` (told to the other channels) and resolves it when it recovers;
 * two dispatchers at once send each notification once; and a storm, a hundred destinations'
 * alerts at once, sends a digest per channel instead of hundreds of messages.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { raiseAlert } from '@/lib/alerts/raise-alert';
import { resolveAlertsBySystem } from '@/lib/alerts/resolve-cleared-alerts';
import type { Principal } from '@/lib/auth/principal';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { CHANNEL_RECOVERED, dispatchNotifications, type DispatchOptions, FAILING_AFTER } from '@/lib/notifications/dispatch-notifications';
import { createChannel } from '@/lib/notifications/manage-channels';
import { listAlertNotifications } from '@/lib/notifications/notification-history';
import { DIGEST_LISTED } from '@/lib/notifications/notification-message';
import { closeChannelDispatcher } from '@/lib/notifications/post-json';
import { createTestDestination } from '../support/fixtures';
import { type Sink, startSink, waitFor } from '../support/sink';

const admin: Principal = { kind: 'user', id: newId(), label: 'admin@dispatch.test', role: 'ADMIN' };

let receiver: Sink;
const body = (i: number, path: string) => JSON.parse(receiver.received.filter((r) => r.path === path)[i]!.body.toString('utf8'));

beforeAll(async () => {
  receiver = await startSink();
});

/** Each test starts with no channels, so that only its own channels hear its alerts. */
beforeEach(async () => {
  await db().notificationChannel.deleteMany({});
  await db().alert.deleteMany({});
});

afterAll(async () => {
  await receiver.close();
  await closeChannelDispatcher();
  await closeSql();
  await db().$disconnect();
});

async function destinations(count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await createTestDestination({ url: `http://127.0.0.1:9/${prefix}-${i}`, data: { name: `${prefix} ${i}` } })).id);
  return ids;
}

/** Runs the dispatcher until `done()` or the deadline. */
async function dispatchUntil(done: () => Promise<boolean>, options: DispatchOptions, what: string, timeoutMs = 15_000) {
  await waitFor(
    async () => {
      await dispatchNotifications(sql(), options);
      return done();
    },
    timeoutMs,
    what,
  );
}

describe('retries', () => {
  it('retries a failed send with exponential backoff, records each try in the history, and gives up after the last attempt', async () => {
    receiver.on('/flaky', (n) => (n <= 2 ? 500 : 200));
    await createChannel({ name: 'Flaky hook', type: 'webhook', url: `${receiver.url}/flaky` }, admin);
    const [destinationId] = await destinations(1, 'flaky');
    const alert = await raiseAlert(sql(), { kind: 'delivery_exhausted', destinationId: destinationId!, message: 'gave up after 8 attempts' });
    const options: DispatchOptions = { gatherMs: 0, minIntervalMs: 0, backoffBaseMs: 400 };

    expect(await dispatchNotifications(sql(), options)).toMatchObject({ messages: 1, sent: 0, retrying: 1 });
    let [row] = await listAlertNotifications(alert.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'http_status: HTTP 500', sentAt: null });
    const wait1 = row!.nextAttemptAt!.getTime() - Date.now();
    expect(wait1).toBeGreaterThan(200);
    expect(wait1).toBeLessThanOrEqual(480);
    // Not due yet: nothing is sent.
    expect(await dispatchNotifications(sql(), options)).toMatchObject({ messages: 0 });

    await dispatchUntil(async () => (await listAlertNotifications(alert.id))[0]!.attempts === 2, options, 'the second try');
    [row] = await listAlertNotifications(alert.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, lastError: 'http_status: HTTP 500' });
    // The second wait doubles (400 ms × 2, ±20 %).
    expect(row!.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(500);

    await dispatchUntil(async () => (await listAlertNotifications(alert.id))[0]!.status === 'sent', options, 'the third try');
    [row] = await listAlertNotifications(alert.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null, nextAttemptAt: null });
    const times = receiver.received.filter((r) => r.path === '/flaky').map((r) => r.at);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(300);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(600);
    // The same webhook-id on every try, so the receiver can drop duplicates.
    expect(new Set(receiver.received.filter((r) => r.path === '/flaky').map((r) => r.headers['webhook-id'])).size).toBe(1);

    receiver.on('/dead', () => 500);
    await createChannel({ name: 'Dead hook', type: 'webhook', url: `${receiver.url}/dead` }, admin);
    const second = await raiseAlert(sql(), { kind: 'destination_disabled', destinationId: destinationId!, message: 'disabled' });
    const giveUp: DispatchOptions = { ...options, backoffBaseMs: 50, maxAttempts: 3 };
    await dispatchUntil(async () => (await listAlertNotifications(second.id)).every((h) => h.status !== 'pending'), giveUp, 'giving up');
    const dead = (await listAlertNotifications(second.id)).find((h) => h.channel.name === 'Dead hook');
    expect(dead).toMatchObject({ status: 'failed', attempts: 3, lastError: 'http_status: HTTP 500', sentAt: null });
    expect(receiver.countFor('/dead')).toBe(3);
  });
});

describe('channel health', () => {
  it(`raises notification_failing after ${FAILING_AFTER} failures in a row, tells the other channels, and resolves it when the channel recovers`, async () => {
    let down = true;
    receiver.on('/down', () => (down ? 503 : 200));
    const broken = await createChannel({ name: 'Broken Slack', type: 'slack', url: `${receiver.url}/down` }, admin);
    await createChannel({ name: 'Healthy hook', type: 'webhook', url: `${receiver.url}/healthy` }, admin);
    const [destinationId] = await destinations(1, 'health');
    await raiseAlert(sql(), { kind: 'destination_circuit_open', destinationId: destinationId!, message: 'circuit opened after 10 failures' });
    const options: DispatchOptions = { gatherMs: 0, minIntervalMs: 0, backoffBaseMs: 30 };

    const failingAlert = () => db().alert.findFirst({ where: { channelId: broken.id, kind: 'notification_failing' } });
    await dispatchUntil(async () => (await failingAlert()) !== null, options, 'notification_failing');
    const channel = await db().notificationChannel.findUniqueOrThrow({ where: { id: broken.id } });
    expect(channel.consecutiveFailures).toBe(FAILING_AFTER);
    expect(channel.failingSince).not.toBeNull();
    expect(channel.lastError).toBe('http_status: HTTP 503');
    const alert = (await failingAlert())!;
    expect(alert).toMatchObject({ status: 'open' });
    expect(alert.message).toContain('Broken Slack');

    // The healthy channel hears about it (the broken one is not told about itself).
    await dispatchUntil(async () => receiver.countFor('/healthy') >= 2, options, 'the healthy channel told');
    const told = body(1, '/healthy');
    expect(told).toMatchObject({ type: 'alert.raised', alert: { kind: 'notification_failing', target: { type: 'channel', name: 'Broken Slack' } } });
    expect(await db().alertNotification.count({ where: { alertId: alert.id, channelId: broken.id } })).toBe(0);

    // More failures count on the open alert instead of raising another.
    const before = receiver.countFor('/down');
    await dispatchUntil(async () => receiver.countFor('/down') >= before + 2, options, 'two more failures');
    expect(await db().alert.count({ where: { channelId: broken.id, kind: 'notification_failing' } })).toBe(1);

    down = false;
    await dispatchUntil(async () => (await failingAlert())!.status === 'resolved', options, 'recovery');
    expect(await failingAlert()).toMatchObject({ resolvedBy: 'system', details: expect.objectContaining({ resolution: CHANNEL_RECOVERED }) });
    const healed = await db().notificationChannel.findUniqueOrThrow({ where: { id: broken.id } });
    expect(healed).toMatchObject({ consecutiveFailures: 0, failingSince: null, lastError: null });
    expect(healed.lastSentAt).not.toBeNull();
    await dispatchUntil(async () => receiver.countFor('/healthy') >= 3, options, 'the resolution told');
    expect(body(2, '/healthy')).toMatchObject({ type: 'alert.resolved', alert: { id: alert.id, kind: 'notification_failing' } });
  });
});

describe('many dispatchers', () => {
  it('sends each notification once when two dispatchers run at the same time', async () => {
    const secrets = new Map<string, string>();
    for (let i = 0; i < 4; i++) {
      receiver.on(`/pair-${i}`, () => ({ status: 200, delayMs: 50 }));
      const channel = await createChannel({ name: `Pair ${i}`, type: 'webhook', url: `${receiver.url}/pair-${i}` }, admin);
      secrets.set(`/pair-${i}`, channel.signingSecret!);
    }
    const ids = await destinations(12, 'pair');
    const options: DispatchOptions = { gatherMs: 0, minIntervalMs: 0 };
    const carried: string[] = [];
    // Alerts keep coming while both dispatchers run, so that they meet in every state.
    let raised = false;
    void (async () => {
      for (const destinationId of ids) {
        await raiseAlert(sql(), { kind: 'delivery_exhausted', destinationId, message: 'gave up' });
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      raised = true;
    })();
    const pending = () => db().alertNotification.count({ where: { status: 'pending' } });
    await waitFor(
      async () => {
        await Promise.all([dispatchNotifications(sql(), options), dispatchNotifications(sql(), options)]);
        return raised && (await pending()) === 0;
      },
      20_000,
      'everything sent',
    );
    for (const request of receiver.received.filter((r) => r.path.startsWith('/pair-'))) {
      const payload = new Webhook(secrets.get(request.path)!).verify(request.body.toString('utf8'), request.headers as Record<string, string>) as {
        type: string;
        id?: string;
        notifications?: { id: string }[];
      };
      if (payload.type === 'alert.digest') carried.push(...payload.notifications!.map((n) => n.id));
      else carried.push(payload.id!);
    }
    const rows = await db().alertNotification.findMany({ where: { channel: { name: { startsWith: 'Pair ' } } } });
    expect(rows).toHaveLength(48);
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    expect(carried.sort()).toEqual(rows.map((row) => row.id).sort());
  });
});

describe('a dispatcher that dies', () => {
  it('leaves leases that expire: the rows are taken over, the lost try counted as an attempt', async () => {
    await createChannel({ name: 'Takeover hook', type: 'webhook', url: `${receiver.url}/takeover` }, admin);
    const [destinationId] = await destinations(1, 'takeover');
    const alert = await raiseAlert(sql(), { kind: 'delivery_exhausted', destinationId: destinationId!, message: 'gave up' });
    // As a claim of a dispatcher that then died would leave it: leased for another 800 ms, one attempt counted.
    await sql()`UPDATE alert_notifications SET locked_until = now() + interval '800 milliseconds', lease_token = gen_random_uuid(), attempts = 1 WHERE alert_id = ${alert.id}`;
    const options: DispatchOptions = { gatherMs: 0, minIntervalMs: 0 };
    expect(await dispatchNotifications(sql(), options)).toMatchObject({ messages: 0 });
    expect(receiver.countFor('/takeover')).toBe(0);
    await dispatchUntil(async () => receiver.countFor('/takeover') === 1, options, 'the takeover');
    const [row] = await listAlertNotifications(alert.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('a storm', () => {
  it('sends a bounded number of messages when a hundred destinations fail at once', async () => {
    const slack = await createChannel({ name: 'Storm Slack', type: 'slack', url: `${receiver.url}/storm-slack` }, admin);
    const hook = await createChannel({ name: 'Storm hook', type: 'webhook', url: `${receiver.url}/storm-hook` }, admin);
    const ids = await destinations(100, 'storm');
    // Each destination exhausts its deliveries and opens its circuit, many times over: 200 alerts, 1,000 occurrences.
    await Promise.all(
      ids.flatMap((destinationId) =>
        (['delivery_exhausted', 'destination_circuit_open'] as const).flatMap((kind) =>
          Array.from({ length: 5 }, () => raiseAlert(sql(), { kind, destinationId, message: `${kind} on ${destinationId}` })),
        ),
      ),
    );
    expect(await db().alert.count({ where: { destinationId: { in: ids } } })).toBe(200);
    expect(await db().alertNotification.count({ where: { channelId: { in: [slack.id, hook.id] } } })).toBe(400);

    // Two workers' dispatchers with the real gathering window and throttle, for a few seconds.
    const deadline = Date.now() + 4_000;
    while (Date.now() < deadline) {
      await Promise.all([dispatchNotifications(sql()), dispatchNotifications(sql())]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const messages = () => receiver.received.filter((r) => r.path === '/storm-slack' || r.path === '/storm-hook');
    // One digest per channel (a second only if the raising outlasted the 2 s gathering window).
    expect(messages().length).toBeGreaterThanOrEqual(2);
    expect(messages().length).toBeLessThanOrEqual(4);
    const digest = JSON.parse(receiver.received.find((r) => r.path === '/storm-slack')!.body.toString('utf8')) as { text: string; blocks: unknown[] };
    const carried = (await db().alertNotification.findFirstOrThrow({ where: { channelId: slack.id, status: 'sent' } })).digestSize!;
    expect(digest.text).toContain(`Hookyard: ${carried} alert notifications (${carried} raised)`);
    if (carried > DIGEST_LISTED) expect(digest.text).toContain(`…and ${carried - DIGEST_LISTED} more.`);
    expect(digest.blocks.length).toBeLessThanOrEqual(50); // Slack's limit per message
    const hookDigest = JSON.parse(receiver.received.find((r) => r.path === '/storm-hook')!.body.toString('utf8')) as { type: string; notifications: unknown[] };
    expect(hookDigest.type).toBe('alert.digest');

    // They all resolve at once: once the throttle's interval has passed (moved here instead of waited for), one digest each again.
    await resolveAlertsBySystem(sql(), sql()`a.destination_id = ANY(${ids}::uuid[])`, 'the destinations came back');
    await sql()`UPDATE notification_channels SET next_message_at = now() WHERE id IN (${slack.id}, ${hook.id})`;
    const pendingOf = () => db().alertNotification.count({ where: { channelId: { in: [slack.id, hook.id] }, status: 'pending' } });
    await waitFor(
      async () => {
        await Promise.all([dispatchNotifications(sql()), dispatchNotifications(sql())]);
        if ((await pendingOf()) === 0) return true;
        await sql()`UPDATE notification_channels SET next_message_at = now() WHERE id IN (${slack.id}, ${hook.id})`;
        return false;
      },
      20_000,
      'the resolutions sent',
    );
    const rows = await db().alertNotification.findMany({ where: { channelId: { in: [slack.id, hook.id] } } });
    expect(rows).toHaveLength(800);
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
    // 800 notifications (and 2,000 occurrences) in at most 4 messages per channel.
    expect(messages().length).toBeLessThanOrEqual(8);
  });
});
