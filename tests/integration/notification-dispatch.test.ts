/**
 * The dispatcher's guarantees (lib/notifications/dispatch-notifications.ts, docs/notifications.md),
 * against real channels pointed at a local receiver: failed sends retried with exponential
 * backoff and recorded in the alert's history, then given up; a channel that keeps failing
 * raises `notification_failing` (told to the other channels) and resolves it when it recovers;
 * two dispatchers at once send each notification once; a calm Slack channel hears of a raise and
 * its resolve at once, in two messages; and a storm, a hundred destinations' alerts at once, is
 * grouped for people (Slack: one digest per 30 s) and throttled for machines (a webhook: one
 * SPEC-shaped POST per notification, at most WEBHOOK_PER_RUN per run).
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { raiseAlert } from '@/lib/alerts/raise-alert';
import { resolveAlertsBySystem } from '@/lib/alerts/resolve-cleared-alerts';
import type { Principal } from '@/lib/auth/principal';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import {
  CALM_INTERVAL_MS,
  CHANNEL_RECOVERED,
  dispatchNotifications,
  type DispatchOptions,
  FAILING_AFTER,
  GATHER_MS,
  MAX_PER_MESSAGE,
  MIN_INTERVAL_MS,
  SEND_ROOM_MS,
  WEBHOOK_PER_RUN,
} from '@/lib/notifications/dispatch-notifications';
import { createChannel } from '@/lib/notifications/manage-channels';
import { listAlertNotifications } from '@/lib/notifications/notification-history';
import { DIGEST_LISTED } from '@/lib/notifications/notification-message';
import { closeChannelDispatcher } from '@/lib/notifications/post-json';
import { sendTestMessage } from '@/lib/notifications/test-channel';
import { createTestDestination } from '../support/fixtures';
import { type ReceivedRequest, type Sink, startSink, waitFor } from '../support/sink';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The only bodies SPEC lets a webhook channel receive. */
const WEBHOOK_TYPES = ['alert.raised', 'alert.resolved', 'notification.test'];

/** A webhook channel's POST, its Standard Webhooks signature checked (this throws if it does not verify). */
function verifiedWebhook(secret: string, request: ReceivedRequest) {
  return new Webhook(secret).verify(request.body.toString('utf8'), request.headers as Record<string, string>) as {
    type: string;
    id: string;
    alert?: { id: string; kind: string; status: string };
  };
}

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

describe('order', () => {
  it("sends an alert's 'resolved' only after its 'raised' got through, even while the 'raised' is being retried", async () => {
    receiver.on('/ordered', (n) => (n <= 1 ? 503 : 200));
    await createChannel({ name: 'Ordered hook', type: 'webhook', url: `${receiver.url}/ordered` }, admin);
    const [destinationId] = await destinations(1, 'ordered');
    const alert = await raiseAlert(sql(), { kind: 'delivery_exhausted', destinationId: destinationId!, message: 'gave up' });
    const options: DispatchOptions = { gatherMs: 0, minIntervalMs: 0, backoffBaseMs: 400 };
    expect(await dispatchNotifications(sql(), options)).toMatchObject({ messages: 1, retrying: 1 });
    // Resolved while its raise waits for the retry: the resolve is due, but waits behind it.
    await resolveAlertsBySystem(sql(), sql()`a.id = ${alert.id}`, 'cleared');
    expect(await dispatchNotifications(sql(), options)).toMatchObject({ messages: 0 });
    await dispatchUntil(async () => receiver.received.filter((r) => r.path === '/ordered').length >= 3, options, 'both messages');
    const types = receiver.received.filter((r) => r.path === '/ordered').map((r) => (JSON.parse(r.body.toString('utf8')) as { type: string }).type);
    expect(types).toEqual(['alert.raised', 'alert.raised', 'alert.resolved']);
  });
});

describe('a webhook run', () => {
  it('stops at its first failure, and before a send could outlast its lease: the rest wait for the next run, their attempt not counted', async () => {
    let failNext = true;
    receiver.on('/careful', () => (failNext ? 500 : { status: 200, delayMs: 600 }));
    await createChannel({ name: 'Careful hook', type: 'webhook', url: `${receiver.url}/careful` }, admin);
    const ids = await destinations(5, 'careful');
    const alerts: string[] = [];
    for (const destinationId of ids) alerts.push((await raiseAlert(sql(), { kind: 'delivery_exhausted', destinationId, message: 'gave up' })).id);
    const states = async () =>
      (await Promise.all(alerts.map((id) => listAlertNotifications(id)))).map(([row]) => `${row!.status}:${row!.attempts}:${row!.lastError ?? '-'}`);

    // The first POST fails: the run ends there, the other four untouched (not leased, no attempt).
    const options: DispatchOptions = { gatherMs: 0, minIntervalMs: 0, backoffBaseMs: 60_000 };
    expect(await dispatchNotifications(sql(), options)).toMatchObject({ messages: 1, sent: 0, retrying: 1 });
    expect(await states()).toEqual(['pending:1:http_status: HTTP 500', 'pending:0:-', 'pending:0:-', 'pending:0:-', 'pending:0:-']);
    expect(await db().alertNotification.count({ where: { lockedUntil: { not: null } } })).toBe(0);

    // With a lease of SEND_ROOM_MS + 1 s and answers taking 600 ms, a second send may start but not a third.
    failNext = false;
    expect(await dispatchNotifications(sql(), { ...options, leaseMs: SEND_ROOM_MS + 1_000 })).toMatchObject({ messages: 2, sent: 2 });
    expect(await states()).toEqual(['pending:1:http_status: HTTP 500', 'sent:1:-', 'sent:1:-', 'pending:0:-', 'pending:0:-']);
    expect(await dispatchNotifications(sql(), options)).toMatchObject({ messages: 2, sent: 2 });
    expect(await states()).toEqual(['pending:1:http_status: HTTP 500', 'sent:1:-', 'sent:1:-', 'sent:1:-', 'sent:1:-']);
    expect(receiver.countFor('/careful')).toBe(5);
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
      const payload = verifiedWebhook(secrets.get(request.path)!, request);
      expect(payload.type).toBe('alert.raised');
      expect(request.headers['webhook-id']).toBe(payload.id);
      carried.push(payload.id);
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

describe('a calm channel', () => {
  it('tells Slack of a raise and of its resolve in two messages, each within seconds of its change (no 30 s gate after a single message)', async () => {
    const slack = await createChannel({ name: 'Calm Slack', type: 'slack', url: `${receiver.url}/calm-slack` }, admin);
    const [destinationId] = await destinations(1, 'calm');
    const messages = () => receiver.received.filter((r) => r.path === '/calm-slack');
    // A worker's dispatcher with every default: the real gathering window and gates.
    const raisedAt = Date.now();
    const alert = await raiseAlert(sql(), { kind: 'destination_circuit_open', destinationId: destinationId!, message: 'circuit opened after 10 failures' });
    await dispatchUntil(async () => messages().length === 1, {}, 'the raise told', 10_000);
    const resolvedAt = Date.now();
    await resolveAlertsBySystem(sql(), sql()`a.id = ${alert.id}`, 'the circuit closed');
    await dispatchUntil(async () => messages().length === 2, {}, 'the resolve told', 10_000);

    const [raised, resolved] = messages().map((r) => JSON.parse(r.body.toString('utf8')) as { text: string });
    expect(raised!.text).toContain('Raised: Circuit open on destination "calm 0"');
    expect(resolved!.text).toContain('Resolved: Circuit open on destination "calm 0"');
    // Each waited out the gathering window, and nothing more: the resolve came well before a 30 s gate would have let it.
    expect(messages()[0]!.at - raisedAt).toBeGreaterThanOrEqual(GATHER_MS - 50);
    expect(messages()[0]!.at - raisedAt).toBeLessThan(GATHER_MS + 2_000);
    expect(messages()[1]!.at - resolvedAt).toBeGreaterThanOrEqual(GATHER_MS - 50);
    expect(messages()[1]!.at - resolvedAt).toBeLessThan(GATHER_MS + 2_000);
    const history = await listAlertNotifications(alert.id);
    expect(history.map((h) => `${h.event}:${h.status}:${h.digestSize}`).sort()).toEqual(['raised:sent:1', 'resolved:sent:1']);
    // After a single message the channel's gate is the short one.
    const { nextMessageAt } = await db().notificationChannel.findUniqueOrThrow({ where: { id: slack.id } });
    expect(nextMessageAt!.getTime() - messages()[1]!.at).toBeLessThanOrEqual(CALM_INTERVAL_MS);
  });
});

describe('a storm', () => {
  it('is grouped for people (one Slack digest per 30 s) and throttled for machines (one SPEC-shaped POST per notification, at most WEBHOOK_PER_RUN per run)', async () => {
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

    const slackMessages = () => receiver.received.filter((r) => r.path === '/storm-slack');
    const posts = () => receiver.received.filter((r) => r.path === '/storm-hook');
    const hookGate = async () => (await db().notificationChannel.findUniqueOrThrow({ where: { id: hook.id } })).nextMessageAt!.getTime();
    // Two workers' dispatchers at once, one run each per round.
    const round = (options: DispatchOptions = {}) => Promise.all([dispatchNotifications(sql(), options), dispatchNotifications(sql(), options)]);

    // All 400 are due (the gathering window has passed). The first round has every default but a
    // longer calm gate, so that the round right after it surely falls before the webhook's gate opens.
    await sleep(GATHER_MS + 100);
    await round({ calmIntervalMs: 3_000 });
    // Slack: the 200 in ONE digest, and its gate 30 s ahead.
    expect(slackMessages()).toHaveLength(1);
    const digest = JSON.parse(slackMessages()[0]!.body.toString('utf8')) as { text: string; blocks: unknown[] };
    expect(digest.text).toContain('Hookyard: 200 alert notifications (200 raised)');
    expect(digest.text).toContain(`…and ${200 - DIGEST_LISTED} more.`);
    expect(digest.blocks.length).toBeLessThanOrEqual(50); // Slack's limit per message
    const slackRow = await db().notificationChannel.findUniqueOrThrow({ where: { id: slack.id } });
    expect(slackRow.nextMessageAt!.getTime() - Date.now()).toBeGreaterThan(MIN_INTERVAL_MS - 5_000);
    // The webhook: WEBHOOK_PER_RUN POSTs, and its gate shut until the calm interval after the claim.
    expect(posts()).toHaveLength(WEBHOOK_PER_RUN);
    const gate = await hookGate();
    expect(Math.abs(gate - 3_000 - posts()[0]!.at)).toBeLessThan(500);
    await round();
    expect(posts()).toHaveLength(WEBHOOK_PER_RUN);
    // Three more rounds with every default, each once the webhook's gate is open: WEBHOOK_PER_RUN more each, its
    // gate CALM_INTERVAL_MS after each claim, and nothing more to Slack.
    for (let k = 2; k <= 4; k++) {
      await sleep(Math.max(0, (await hookGate()) - Date.now()) + 50);
      await round();
      expect(posts()).toHaveLength(k * WEBHOOK_PER_RUN);
      expect(Math.abs((await hookGate()) - CALM_INTERVAL_MS - posts()[(k - 1) * WEBHOOK_PER_RUN]!.at)).toBeLessThan(500);
    }
    expect(slackMessages()).toHaveLength(1);

    // They all resolve at once. Slack's gate is moved instead of waited for; the webhook's gate is
    // set to nothing (calmIntervalMs 0) so that the rounds run back to back, still WEBHOOK_PER_RUN each.
    await resolveAlertsBySystem(sql(), sql()`a.destination_id = ANY(${ids}::uuid[])`, 'the destinations came back');
    await sql()`UPDATE notification_channels SET next_message_at = now() WHERE id = ${slack.id}`;
    await sleep(GATHER_MS + 100);
    const hookPending = () => db().alertNotification.count({ where: { channelId: hook.id, status: 'pending' } });
    let rounds = 0;
    while ((await hookPending()) > 0 && rounds < 100) {
      const before = posts().length;
      await round({ calmIntervalMs: 0 });
      rounds++;
      expect(posts().length - before).toBe(WEBHOOK_PER_RUN);
    }
    expect(rounds).toBe((400 - 4 * WEBHOOK_PER_RUN) / WEBHOOK_PER_RUN);
    // Slack: the 200 resolutions in one more digest; 400 notifications in 2 messages.
    expect(slackMessages()).toHaveLength(2);
    expect(JSON.parse(slackMessages()[1]!.body.toString('utf8')).text).toContain('Hookyard: 200 alert notifications (200 resolved)');

    const rows = await db().alertNotification.findMany({ where: { channelId: { in: [slack.id, hook.id] } } });
    expect(rows).toHaveLength(800);
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    expect(rows.filter((row) => row.channelId === slack.id).every((row) => row.digestSize === MAX_PER_MESSAGE)).toBe(true);
    expect(rows.filter((row) => row.channelId === hook.id).every((row) => row.digestSize === 1)).toBe(true);

    // The webhook: one POST per notification, each in SPEC's shape and signed, one after another (never two open at once).
    await sendTestMessage(hook.id, admin);
    const payloads = posts().map((request) => verifiedWebhook(hook.signingSecret!, request));
    expect(payloads).toHaveLength(401);
    expect(payloads.every((payload) => WEBHOOK_TYPES.includes(payload.type))).toBe(true);
    expect(payloads.filter((payload) => payload.type === 'alert.raised')).toHaveLength(200);
    expect(payloads.filter((payload) => payload.type === 'alert.resolved')).toHaveLength(200);
    expect(payloads.at(-1)).toMatchObject({ type: 'notification.test' });
    const alertPosts = payloads.filter((payload) => payload.type !== 'notification.test');
    expect(alertPosts.every((payload) => payload.alert && Object.keys(payload).sort().join() === 'alert,id,type')).toBe(true);
    expect(alertPosts.map((payload) => payload.id).sort()).toEqual(
      rows
        .filter((row) => row.channelId === hook.id)
        .map((row) => row.id)
        .sort(),
    );
    for (const [i, request] of posts().entries()) if (i > 0) expect(request.at).toBeGreaterThanOrEqual(posts()[i - 1]!.answeredAt!);
  });
});
