/**
 * The new alert kinds reach people, from the condition to the message: a burst of bad signatures
 * through the real ingest server (rejection_spike) and a source that goes quiet (source_silent),
 * evaluated by the rules as the worker runs them, sent by the dispatcher to a Slack channel and a
 * signed webhook channel on a local receiver. Each channel gets exactly one message when each
 * alert is raised, none while it stays open, and one when it resolves itself.
 */
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlertRules } from '@/lib/alerts/rules/evaluate-alert-rules';
import type { Principal } from '@/lib/auth/principal';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { flushIngestStats } from '@/lib/ingest/ingest-stats';
import { flushRejections } from '@/lib/ingest/record-rejection';
import { dispatchNotifications } from '@/lib/notifications/dispatch-notifications';
import { createChannel } from '@/lib/notifications/manage-channels';
import { closeChannelDispatcher } from '@/lib/notifications/post-json';
import { updateSource } from '@/lib/sources/manage-sources';
import { createTestSource } from '../support/fixtures';
import { type RunningIngestServer, startIngestServer } from '../support/ingest-server';
import { type ReceivedRequest, type Sink, startSink } from '../support/sink';

const admin: Principal = { kind: 'user', id: newId(), label: 'admin@kinds.test', role: 'ADMIN' };
const stripe = new Stripe('sk_test_unused');
const SECRET = 'whsec_alert_kinds_notified_0123456789';

let server: RunningIngestServer;
let receiver: Sink;
let webhookSecret: string;
let channelIds: string[] = [];

beforeAll(async () => {
  server = await startIngestServer('lean server');
  receiver = await startSink();
  const kinds = ['rejection_spike', 'source_silent'] as const;
  const slack = await createChannel({ name: 'Kinds Slack', type: 'slack', url: `${receiver.url}/kinds-slack`, kinds: [...kinds] }, admin);
  const hook = await createChannel({ name: 'Kinds hook', type: 'webhook', url: `${receiver.url}/kinds-hook`, kinds: [...kinds] }, admin);
  webhookSecret = hook.signingSecret!;
  channelIds = [slack.id, hook.id];
});

afterAll(async () => {
  await db().notificationChannel.deleteMany({ where: { id: { in: channelIds } } });
  await server.close();
  await receiver.close();
  await closeChannelDispatcher();
  await closeSql();
  await db().$disconnect();
});

/** What the worker's ticks do: evaluate the rules, then send what they queued (no gathering wait, no gate). */
async function tick(at?: Date) {
  await Promise.all([flushIngestStats(), flushRejections()]);
  expect(await runAlertRules(sql(), { intervalMs: 0, ...(at ? { at } : {}) })).toMatchObject({ ran: true, errors: [] });
  await dispatchNotifications(sql(), { gatherMs: 0, minIntervalMs: 0 });
}

const webhookMessages = (alertId: string) =>
  receiver.received
    .filter((r: ReceivedRequest) => r.path === '/kinds-hook')
    .map((r) => new Webhook(webhookSecret).verify(r.body.toString('utf8'), r.headers as Record<string, string>) as { type: string; alert: { id: string } })
    .filter((m) => m.alert?.id === alertId)
    .map((m) => m.type);
const slackMessages = (alertId: string) =>
  receiver.received
    .filter((r) => r.path === '/kinds-slack' && r.body.toString('utf8').includes(`/alerts/${alertId}`))
    .map((r) => JSON.parse(r.body.toString('utf8')) as { text: string });

async function postStripe(slug: string, secret: string) {
  const body = JSON.stringify({ id: `evt_${newId()}`, object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1' } } });
  const response = await fetch(server.ingestUrl(slug), {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret }) },
  });
  await response.arrayBuffer();
  return response.status;
}

describe('the new alert kinds are notified once when raised and once when resolved', () => {
  it('rejection_spike: a burst of bad signatures', async () => {
    const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: SECRET }], data: { name: 'Kinds Stripe' } });
    await updateSource(source.id, { alertSettings: { rejectionSpike: { threshold: 3, windowSeconds: 60 } } }, admin, 'http://localhost');
    for (let i = 0; i < 3; i++) expect(await postStripe(source.slug, 'whsec_rotated_by_the_provider_000000')).toBe(401);
    await tick();
    const alert = await db().alert.findFirstOrThrow({ where: { kind: 'rejection_spike', sourceId: source.id } });
    // More bad requests while it is open: counted, not sent.
    for (let i = 0; i < 3; i++) expect(await postStripe(source.slug, 'whsec_rotated_by_the_provider_000000')).toBe(401);
    await tick();
    expect(webhookMessages(alert.id)).toEqual(['alert.raised']);
    expect(slackMessages(alert.id)).toHaveLength(1);
    expect(slackMessages(alert.id)[0]!.text).toContain('Kinds Stripe');

    // Two minutes on, the window holds no rejections: it resolves, and says so once.
    await tick(new Date(Date.now() + 2 * 60_000));
    expect((await db().alert.findUniqueOrThrow({ where: { id: alert.id } })).status).toBe('resolved');
    await tick(new Date(Date.now() + 3 * 60_000));
    expect(webhookMessages(alert.id)).toEqual(['alert.raised', 'alert.resolved']);
    expect(slackMessages(alert.id)).toHaveLength(2);
    // The ticks above looked minutes ahead; back at the real time its rejections are in the window
    // again, so the next test's ticks would raise it anew: this source is done.
    await db().source.delete({ where: { id: source.id } });
  });

  it('source_silent: a watched source that stops sending', async () => {
    const { source } = await createTestSource({ provider: 'none', data: { name: 'Kinds quiet shop', createdAt: new Date(Date.now() - 86_400_000) } });
    await updateSource(source.id, { alertSettings: { expectedEvery: 600 } }, admin, 'http://localhost');
    await tick();
    expect(await db().alert.count({ where: { kind: 'source_silent', sourceId: source.id } })).toBe(0);
    await tick(new Date(Date.now() + 11 * 60_000));
    await tick(new Date(Date.now() + 12 * 60_000));
    const alert = await db().alert.findFirstOrThrow({ where: { kind: 'source_silent', sourceId: source.id } });
    expect(webhookMessages(alert.id)).toEqual(['alert.raised']);
    expect(slackMessages(alert.id)).toHaveLength(1);
    expect(slackMessages(alert.id)[0]!.text).toContain('Kinds quiet shop');

    // An event arrives: it resolves.
    const response = await fetch(server.ingestUrl(source.slug), { method: 'POST', body: '{"type":"ping"}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(202);
    await tick();
    expect((await db().alert.findUniqueOrThrow({ where: { id: alert.id } })).status).toBe('resolved');
    expect(webhookMessages(alert.id)).toEqual(['alert.raised', 'alert.resolved']);
    expect(slackMessages(alert.id)).toHaveLength(2);
  });
});
