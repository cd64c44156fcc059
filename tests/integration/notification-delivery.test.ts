/**
 * Alerts reach people: a real failing receiver and a real DeliveryWorker raise
 * `delivery_exhausted` and `destination_circuit_open`; Slack and webhook channels point at a local
 * HTTP receiver and an email channel at a real SMTP server started here (smtp-server). Each raise
 * sends exactly one message per channel, repeats of an open alert are counted and not sent, and
 * each resolve (the circuit closing, the failures replayed) sends one more. The webhook's
 * signature is checked with the `standardwebhooks` library; the messages name the alert and its
 * target, say since when, and link to the alert under HOOKYARD_PUBLIC_URL.
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.HOOKYARD_PUBLIC_URL = 'https://hooks.example.test';
});

import type { Principal } from '@/lib/auth/principal';
import { resetConfigForTests } from '@/lib/config/env';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { dispatchNotifications } from '@/lib/notifications/dispatch-notifications';
import { createChannel } from '@/lib/notifications/manage-channels';
import { listAlertNotifications } from '@/lib/notifications/notification-history';
import { closeChannelDispatcher } from '@/lib/notifications/post-json';
import { closeEmailTransports } from '@/lib/notifications/send-email';
import { replayFailedDeliveries } from '@/lib/replay/replay-failed';
import { CIRCUIT_THRESHOLD } from '@/lib/worker/destination-health';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { probeDestinationNow } from '@/lib/worker/probe-now';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';
import { type ReceivedRequest, type Sink, startSink } from '../support/sink';
import { recordedTo, untilWorkerShows, waitForEvents } from '../support/worker-events';

const admin: Principal = { kind: 'user', id: newId(), label: 'admin@notify.test', role: 'ADMIN' };

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

let worker: DeliveryWorker;
let receiver: Sink;
let failing: Sink;
let healthy = false;
let smtp: SMTPServer;
const mails: Mail[] = [];
let sourceId: string;
let webhookSecret: string;

/** The mail as text: header lines unfolded, quoted-printable soft breaks and `=3D` undone. */
const readable = (raw: string) =>
  raw
    .replace(/\r\n[ \t]+/g, ' ')
    .replace(/=\r\n/g, '')
    .replace(/=3D/g, '=');

/** The Subject header, its RFC 2047 encoded words decoded (nodemailer Q-encodes a subject with quotes). */
function subjectOf(raw: string): string {
  const header = /^Subject: (.*)$/m.exec(raw.replace(/\r\n[ \t]+/g, ' '))?.[1] ?? '';
  return header.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, word: string) =>
    Buffer.from(
      word.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8'),
  );
}

const slackMessages = () =>
  receiver.received.filter((r) => r.path === '/slack').map((r) => JSON.parse(r.body.toString('utf8')) as { text: string; blocks: unknown[] });
const webhookRequests = () => receiver.received.filter((r) => r.path === '/hook');
const verified = (request: ReceivedRequest) =>
  new Webhook(webhookSecret).verify(request.body.toString('utf8'), request.headers as Record<string, string>) as {
    type: string;
    alert: { id: string; kind: string; status: string; count: number; target: { type: string; name: string }; url: string };
  };

/** Every notification due now, sent (no gathering wait, no throttle: this test sends one alert at a time). */
const dispatchNow = () => dispatchNotifications(sql(), { gatherMs: 0, minIntervalMs: 0 });

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 'mail-pass') callback(null, { user: 'mailer' });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  process.env.HOOKYARD_SMTP_URL = `smtp://mailer:mail-pass@127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.HOOKYARD_EMAIL_FROM = 'Hookyard <hookyard@example.test>';
  resetConfigForTests();

  receiver = await startSink();
  failing = await startSink(() => ({ status: healthy ? 200 : 500 }));
  sourceId = (await createTestSource({ provider: 'none', slug: 'notify-delivery' })).source.id;
  await createChannel({ name: 'Team Slack', type: 'slack', url: `${receiver.url}/slack` }, admin);
  webhookSecret = (await createChannel({ name: 'Ops webhook', type: 'webhook', url: `${receiver.url}/hook` }, admin)).signingSecret!;
  await createChannel({ name: 'On-call mail', type: 'email', to: ['oncall@example.test', 'lead@example.test'] }, admin);
  worker = new DeliveryWorker(sql, { pollIntervalMs: 50, leaseRecoveryIntervalMs: 200, leaseMarginSeconds: 1, recordDelayMs: 1 });
  await worker.start();
});

afterAll(async () => {
  await worker.stop();
  await receiver.close();
  await failing.close();
  // The pooled SMTP connection first: the server's close waits for its clients to leave.
  closeEmailTransports();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await closeChannelDispatcher();
  delete process.env.HOOKYARD_SMTP_URL;
  delete process.env.HOOKYARD_EMAIL_FROM;
  await closeSql();
  await db().$disconnect();
});

describe('notifications of real alerts', () => {
  let exhaustedId: string;
  let circuitId: string;

  it('sends one message per channel when delivery_exhausted is raised, and none for its repeats', async () => {
    const destination = await createTestDestination({ url: `${failing.url}/orders`, data: { name: 'Orders API', retrySchedule: [0] } });
    const exhausted = waitForEvents(worker, 'attempt:finish', 1, recordedTo(destination.id));
    await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await exhausted;
    const alert = await untilWorkerShows(
      worker,
      () => db().alert.findFirst({ where: { destinationId: destination.id, kind: 'delivery_exhausted' } }),
      'the alert',
    );
    exhaustedId = alert.id;

    const report = await dispatchNow();
    expect(report).toMatchObject({ messages: 3, sent: 3, failed: 0 });
    expect(slackMessages()).toHaveLength(1);
    expect(webhookRequests()).toHaveLength(1);
    expect(mails).toHaveLength(1);

    const slack = slackMessages()[0]!;
    expect(slack.text).toContain('Raised: Delivery gave up on destination "Orders API"');
    expect(slack.text).toContain(`https://hooks.example.test/alerts/${alert.id}`);
    expect(slack.text).toMatch(/Since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(slack.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(JSON.stringify(slack.blocks)).toContain(`<https://hooks.example.test/alerts/${alert.id}|Open in Hookyard>`);

    const payload = verified(webhookRequests()[0]!);
    expect(payload).toMatchObject({
      type: 'alert.raised',
      alert: {
        id: alert.id,
        kind: 'delivery_exhausted',
        status: 'open',
        target: { type: 'destination', name: 'Orders API' },
        url: `https://hooks.example.test/alerts/${alert.id}`,
      },
    });

    const mail = mails[0]!;
    expect(mail.from).toBe('hookyard@example.test');
    expect(mail.to.sort()).toEqual(['lead@example.test', 'oncall@example.test']);
    const text = readable(mail.raw);
    expect(subjectOf(mail.raw)).toBe('[Hookyard] Raised: Delivery gave up on destination "Orders API"');
    expect(text).toContain(`https://hooks.example.test/alerts/${alert.id}`);

    // Two more exhausted deliveries: counted on the open alert, not sent.
    const repeats = waitForEvents(worker, 'attempt:finish', 2, recordedTo(destination.id));
    await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await repeats;
    await untilWorkerShows(
      worker,
      async () => ((await db().alert.findUniqueOrThrow({ where: { id: alert.id } })).details as { count: number }).count === 3,
      'three occurrences counted',
    );
    expect(await dispatchNow()).toMatchObject({ messages: 0 });
    expect(receiver.received).toHaveLength(2);
    expect(mails).toHaveLength(1);

    const history = await listAlertNotifications(alert.id);
    expect(history.map((h) => `${h.channel.type}:${h.event}:${h.status}:${h.attempts}:${h.digestSize}`).sort()).toEqual([
      'email:raised:sent:1:1',
      'slack:raised:sent:1:1',
      'webhook:raised:sent:1:1',
    ]);
  });

  it('sends one message per channel when a circuit opens', async () => {
    const destination = await createTestDestination({ url: `${failing.url}/billing`, data: { name: 'Billing API', retrySchedule: new Array(30).fill(0) } });
    const failures = waitForEvents(worker, 'attempt:finish', CIRCUIT_THRESHOLD, recordedTo(destination.id));
    await createTestEvent({ sourceId, destinationIds: [destination.id] });
    await failures;
    const alert = await untilWorkerShows(
      worker,
      () => db().alert.findFirst({ where: { destinationId: destination.id, kind: 'destination_circuit_open' } }),
      'circuit alert',
    );
    circuitId = alert.id;
    expect(await dispatchNow()).toMatchObject({ messages: 3, sent: 3 });
    expect(slackMessages()).toHaveLength(2);
    expect(slackMessages()[1]!.text).toContain('Raised: Circuit open on destination "Billing API"');
    expect(verified(webhookRequests()[1]!)).toMatchObject({ type: 'alert.raised', alert: { id: alert.id, kind: 'destination_circuit_open' } });
    expect(mails).toHaveLength(2);
    expect(await dispatchNow()).toMatchObject({ messages: 0 });
  });

  it('sends one more message per channel when each alert resolves, and nothing after', async () => {
    healthy = true;
    await probeDestinationNow((await db().alert.findUniqueOrThrow({ where: { id: circuitId } })).destinationId!, { ...admin, role: 'SUPPORT' });
    await untilWorkerShows(
      worker,
      async () => (await db().alert.findUniqueOrThrow({ where: { id: circuitId } })).status === 'resolved',
      'circuit alert resolved',
    );
    expect(await dispatchNow()).toMatchObject({ messages: 3, sent: 3 });
    const resolved = verified(webhookRequests()[2]!);
    expect(resolved).toMatchObject({ type: 'alert.resolved', alert: { id: circuitId, status: 'resolved' } });
    expect(slackMessages()[2]!.text).toContain('Resolved: Circuit open on destination "Billing API"');
    expect(slackMessages()[2]!.text).toContain('Resolved by system: the circuit closed');
    expect(subjectOf(mails[2]!.raw)).toBe('[Hookyard] Resolved: Circuit open on destination "Billing API"');
    expect(readable(mails[2]!.raw)).toContain('Resolved by system: the circuit closed');

    const failed = await db().delivery.findMany({ where: { destination: { name: 'Orders API' }, status: 'failed' }, select: { id: true } });
    expect(failed).toHaveLength(3);
    await replayFailedDeliveries(
      failed.map((d) => d.id),
      { ...admin, role: 'SUPPORT' },
    );
    await untilWorkerShows(
      worker,
      async () => (await db().alert.findUniqueOrThrow({ where: { id: exhaustedId } })).status === 'resolved',
      'exhausted alert resolved',
    );
    expect(await dispatchNow()).toMatchObject({ messages: 3, sent: 3 });
    expect(verified(webhookRequests()[3]!)).toMatchObject({ type: 'alert.resolved', alert: { id: exhaustedId, count: 3 } });
    expect(mails).toHaveLength(4);
    expect(await dispatchNow()).toMatchObject({ messages: 0 });

    // Per alert and channel: exactly one raised and one resolved, all sent at the first attempt.
    for (const id of [exhaustedId, circuitId]) {
      const history = await listAlertNotifications(id);
      expect(history).toHaveLength(6);
      expect(history.every((h) => h.status === 'sent' && h.attempts === 1 && h.lastError === null && h.sentAt !== null)).toBe(true);
      expect(history.filter((h) => h.event === 'raised')).toHaveLength(3);
    }
    expect(slackMessages()).toHaveLength(4);
    expect(webhookRequests()).toHaveLength(4);
    // The webhook receiver only ever got SPEC's shape: one notification per POST.
    expect(webhookRequests().map((request) => verified(request).type)).toEqual(['alert.raised', 'alert.raised', 'alert.resolved', 'alert.resolved']);
  });
});
