// Broker destinations (SPEC "Destination types") against the machine's real RabbitMQ, Redis and
// NATS JetStream, through real ingest (the lean server) and the real worker: the message arrives
// with the body byte for byte and a signature the standardwebhooks library accepts; a broker that
// is down gives recorded failed attempts of the right kind, then `failed`; a broker that went away
// (a TCP proxy in front of it, stopped) is used again once it is back, without a worker restart.
// Under CI=true every broker must be there; elsewhere a broker not listening on its default port
// skips its tests and says so. The worker killed mid-publish is destination-brokers-crash.test.ts.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as amqpConnect } from 'amqplib';
import { connect as natsConnect } from 'nats';
import { createClient } from 'redis';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { encryptUrlPassword, splitPassword } from '@/lib/destinations/broker-url';
import { newId } from '@/lib/db/ids';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { sendTestDelivery } from '@/lib/worker/send-test-delivery';
import { classifyError } from '@/lib/transports/network-errors';
import { POST as replayEventRoute } from '@/app/api/v1/events/[id]/replay/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import type { Principal } from '@/lib/auth/principal';
import { CIRCUIT_THRESHOLD } from '@/lib/worker/destination-health';
import { probeDestinationNow } from '@/lib/worker/probe-now';
import type { Prisma } from '@/lib/db/generated/client';
import { addSigningSecret, createTestDestination, createTestEvent, createTestRoute, createTestSource } from '../support/fixtures';
import { type RunningIngestServer, startIngestServer } from '../support/ingest-server';
import { brokerSkips, listening } from '../support/local-brokers';
import { startTcpProxy } from '../support/tcp-proxy';
import { recordedTo, untilWorkerShows, waitForEvent, waitForEvents } from '../support/worker-events';
import { startSink } from '../support/sink';

const skip = await brokerSkips('destination-brokers');
const support: Principal = { kind: 'user', id: newId(), label: 'support@brokers.test', role: 'SUPPORT' };

let worker: DeliveryWorker;
let ingest: RunningIngestServer;
let sourceId: string;

beforeAll(async () => {
  const { source } = await createTestSource({ provider: 'none' });
  sourceId = source.id;
  ingest = await startIngestServer('lean server');
  worker = new DeliveryWorker(sql, { pollIntervalMs: 50, leaseRecoveryIntervalMs: 200, leaseMarginSeconds: 1, recordDelayMs: 1 });
  await worker.start();
});

afterAll(async () => {
  await worker.stop();
  await ingest.close();
  await closeSql();
  await db().$disconnect();
});

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const BODY = '{"type":"order.created",  "amount": 1.50, "note":"caf\u00e9"}';

/** A destination as the API stores it: the password apart, encrypted. */
async function brokerDestination(rawUrl: string, options: Record<string, unknown>, retrySchedule = [0]) {
  const { url, password } = splitPassword(rawUrl);
  const destination = await createTestDestination({ url, data: { options: options as Prisma.InputJsonObject, retrySchedule, timeoutMs: 2000 } });
  if (password) await db().destination.update({ where: { id: destination.id }, data: { urlPassword: encryptUrlPassword(destination.id, password) } });
  await addSigningSecret(destination.id, SECRET);
  return destination;
}

/** One webhook POSTed to real ingest for a new source routed to this destination; its first recorded attempt. */
async function deliverOne(destinationId: string, transform?: string) {
  const { source } = await createTestSource({ provider: 'none', data: { eventTypeJsonPath: 'type' } });
  await createTestRoute({ sourceId: source.id, destinationId, transform });
  const finished = waitForEvent(worker, 'attempt:finish', recordedTo(destinationId));
  const response = await fetch(ingest.ingestUrl(source.slug), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-custom': 'kept' },
    body: BODY,
  });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  const { outcome } = await finished;
  return { source, outcome, delivery: await db().delivery.findFirstOrThrow({ where: { eventId: id }, include: { attempts: true } }) };
}

/**
 * The broker goes away (its proxy stops): attempts fail and are recorded; it comes back on the
 * same port: the next attempt succeeds on a new connection, with no worker restart.
 */
async function survivesBrokerRestart(
  target: { port: number },
  urlFor: (port: number) => string,
  options: Record<string, unknown>,
  received: () => Promise<number>,
) {
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: target.port });
  try {
    const destination = await brokerDestination(urlFor(proxy.port), options, [0, 1, 1, 1, 1, 1]);
    expect((await deliverOne(destination.id)).outcome.errorKind).toBeNull();
    await proxy.stop();
    const failed = waitForEvent(
      worker,
      'attempt:finish',
      recordedTo(destination.id, ({ outcome }) => outcome.errorKind !== null),
    );
    const succeeded = waitForEvent(
      worker,
      'attempt:finish',
      recordedTo(destination.id, ({ outcome }) => outcome.errorKind === null),
    );
    const second = deliverOne(destination.id);
    const { outcome } = await failed;
    expect(['refused', 'reset']).toContain(outcome.errorKind);
    await proxy.start();
    await succeeded;
    const { delivery } = await second;
    await expect.poll(async () => (await db().delivery.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe('succeeded');
    expect(await received()).toBe(2);
  } finally {
    await proxy.stop();
  }
}

function verify(body: Buffer, headers: Record<string, string>) {
  return new Webhook(SECRET).verify(body, headers);
}

async function failsUntilExhausted(url: string, options: Record<string, unknown>, kind: string) {
  const destination = await brokerDestination(url, options, [0, 0]);
  const exhausted = waitForEvent(
    worker,
    'attempt:finish',
    recordedTo(destination.id, ({ delivery }) => delivery.attemptCount + 1 === 2),
  );
  const event = await createTestEvent({ sourceId, destinationIds: [destination.id], body: BODY });
  await exhausted;
  const delivery = await db().delivery.findFirstOrThrow({ where: { eventId: event.id }, include: { attempts: true } });
  expect(delivery.status).toBe('failed');
  expect(delivery.attempts.map((a) => a.errorKind)).toEqual([kind, kind]);
  expect(delivery.attempts.every((a) => a.responseStatus === null)).toBe(true);
}

describe.skipIf(skip('amqp'))('RabbitMQ destinations', () => {
  it('publishes one persistent, confirmed message with the raw body and verifiable Standard Webhooks headers', async () => {
    const connection = await amqpConnect('amqp://guest:guest@127.0.0.1:5672');
    const channel = await connection.createChannel();
    const queue = (await channel.assertQueue('', { exclusive: true })).queue;
    try {
      const destination = await brokerDestination('amqp://guest:guest@127.0.0.1:5672', { exchange: '', routingKey: queue });
      const { outcome, delivery, source } = await deliverOne(destination.id);
      expect(outcome.errorKind).toBeNull();
      expect(delivery.status).toBe('succeeded');
      expect(Buffer.from(delivery.attempts[0]!.responseBody!).toString()).toContain('confirmed by RabbitMQ');
      const request = delivery.attempts[0]!.request as { url: string };
      expect(request.url).toBe('amqp://guest:***@127.0.0.1:5672');
      const message = await channel.get(queue, { noAck: true });
      expect(message).not.toBe(false);
      if (!message) return;
      expect(message.content.equals(Buffer.from(BODY))).toBe(true);
      expect(message.properties.deliveryMode).toBe(2);
      expect(message.properties.messageId).toBe(delivery.id);
      expect(message.properties.contentType).toBe('application/json');
      const headers = message.properties.headers as Record<string, string>;
      expect(headers['hookyard-event-type']).toBe('order.created');
      expect(headers['hookyard-source']).toBe(source.slug);
      expect(headers['x-custom']).toBe('kept');
      expect(() => verify(message.content, headers)).not.toThrow();
    } finally {
      await connection.close();
    }
  });

  it('records an unroutable message as no_route', async () => {
    const destination = await brokerDestination('amqp://guest:guest@127.0.0.1:5672', { exchange: '', routingKey: 'hookyard-no-such-queue-{eventType}' });
    const { outcome } = await deliverOne(destination.id);
    expect(outcome.errorKind).toBe('no_route');
  });

  it('records a missing exchange (404 NOT_FOUND) as no_route', async () => {
    const exchange = `hookyard-no-such-exchange-${Date.now()}`;
    const destination = await brokerDestination('amqp://guest:guest@127.0.0.1:5672', { exchange, routingKey: 'x' });
    const { outcome } = await deliverOne(destination.id);
    expect(outcome.errorKind).toBe('no_route');
    expect(outcome.errorMessage).toContain(`no exchange '${exchange}'`);
  });

  it('records bad credentials as auth, without the password in the message', async () => {
    const destination = await brokerDestination('amqp://guest:wrong-password@127.0.0.1:5672', { routingKey: 'x' });
    const { outcome } = await deliverOne(destination.id);
    expect(outcome.errorKind).toBe('auth');
    expect(JSON.stringify(outcome)).not.toContain('wrong-password');
  });

  it('a broker that went away is used again once it is back, without a worker restart', async () => {
    const connection = await amqpConnect('amqp://guest:guest@127.0.0.1:5672');
    const channel = await connection.createChannel();
    const queue = (await channel.assertQueue('', { exclusive: true })).queue;
    try {
      await survivesBrokerRestart(
        { port: 5672 },
        (port) => `amqp://guest:guest@127.0.0.1:${port}`,
        { routingKey: queue },
        async () => (await channel.checkQueue(queue)).messageCount,
      );
    } finally {
      await connection.close();
    }
  });

  it('a broker that is down: refused attempts, then failed', async () => {
    await failsUntilExhausted('amqp://guest:guest@127.0.0.1:1', { routingKey: 'x' }, 'refused');
  });
});

describe.skipIf(skip('redis'))('Redis Streams destinations', () => {
  it('adds one entry with the SPEC fields and the raw body, trimmed approximately', async () => {
    const stream = `hookyard-test-${Date.now()}`;
    const destination = await brokerDestination('redis://127.0.0.1:6379', { stream, maxLen: 1000 });
    const { outcome, delivery, source } = await deliverOne(destination.id);
    expect(outcome.errorKind).toBeNull();
    const client = createClient({ url: 'redis://127.0.0.1:6379', RESP: 2 });
    await client.connect();
    try {
      const entries = await client.withTypeMapping({ [36]: Buffer } as never).xRange(stream, '-', '+');
      expect(entries).toHaveLength(1);
      const fields = entries![0]!.message as unknown as Record<string, Buffer>;
      const text = (name: string) => Buffer.from(fields[name]!).toString();
      expect(Buffer.from(fields.body!).equals(Buffer.from(BODY))).toBe(true);
      expect(text('event_type')).toBe('order.created');
      expect(text('source')).toBe(source.slug);
      expect(text('content_type')).toBe('application/json');
      expect(text('webhook_id')).toBe(delivery.id);
      expect(JSON.parse(text('headers'))).toMatchObject({ 'x-custom': 'kept' });
      expect(Buffer.from(delivery.attempts[0]!.responseBody!).toString()).toContain(entries![0]!.id);
      expect(() =>
        verify(Buffer.from(fields.body!), {
          'webhook-id': text('webhook_id'),
          'webhook-timestamp': text('webhook_timestamp'),
          'webhook-signature': text('webhook_signature'),
        }),
      ).not.toThrow();
    } finally {
      await client.del(stream);
      client.destroy();
    }
  });

  it("sends what the route's transform returns: its body and headers, signed as sent", async () => {
    const stream = `hookyard-transformed-${Date.now()}`;
    const destination = await brokerDestination('redis://127.0.0.1:6379', { stream });
    const transform = "function transform(e) { return { headers: { ...e.headers, 'x-shaped': 'yes' }, body: { kind: e.eventType, amount: e.body.amount } } }";
    const { outcome } = await deliverOne(destination.id, transform);
    expect(outcome.errorKind).toBeNull();
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    try {
      const [entry] = (await client.xRange(stream, '-', '+'))!;
      const fields = entry!.message;
      expect(JSON.parse(fields.body!)).toEqual({ kind: 'order.created', amount: 1.5 });
      expect(JSON.parse(fields.headers!)).toMatchObject({ 'x-shaped': 'yes' });
      expect(() =>
        verify(Buffer.from(fields.body!), {
          'webhook-id': fields.webhook_id!,
          'webhook-timestamp': fields.webhook_timestamp!,
          'webhook-signature': fields.webhook_signature!,
        }),
      ).not.toThrow();
    } finally {
      await client.del(stream);
      client.destroy();
    }
  });

  it("the destination page's test send adds one entry through the same transport", async () => {
    const stream = `hookyard-test-send-${Date.now()}`;
    const destination = await brokerDestination('redis://127.0.0.1:6379', { stream });
    const result = await sendTestDelivery(destination.id, { kind: 'api_key', id: newId(), label: 'test', role: 'ADMIN' });
    expect(result).toMatchObject({ ok: true, status: null, signed: true });
    expect(result.responseBody).toContain(`added to Redis stream "${stream}"`);
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    try {
      const entries = await client.xRange(stream, '-', '+');
      expect(entries!.map((entry) => entry.message.event_type)).toEqual(['hookyard.test']);
    } finally {
      await client.del(stream);
      client.destroy();
    }
  });

  it('a broker that went away is used again once it is back, without a worker restart', async () => {
    const stream = `hookyard-restart-${Date.now()}`;
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    try {
      await survivesBrokerRestart(
        { port: 6379 },
        (port) => `redis://127.0.0.1:${port}`,
        { stream },
        () => client.xLen(stream),
      );
    } finally {
      await client.del(stream);
      client.destroy();
    }
  });

  it('a broker that is down: refused attempts, then failed', async () => {
    await failsUntilExhausted('redis://127.0.0.1:1', { stream: 'x' }, 'refused');
  });

  it('trims the stream to about maxLen entries (MAXLEN ~): never below it, never a whole macro node above it', async () => {
    const stream = `hookyard-trimmed-${Date.now()}`;
    const maxLen = 10;
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    try {
      // Approximate trimming removes whole radix-tree nodes only, so the bound is maxLen plus one node.
      const nodeEntries = Number((await client.configGet('stream-node-max-entries'))['stream-node-max-entries']);
      await Promise.all(Array.from({ length: 1000 }, (_, n) => client.xAdd(stream, '*', { n: String(n) })));
      expect(await client.xLen(stream)).toBe(1000);
      const destination = await brokerDestination('redis://127.0.0.1:6379', { stream, maxLen });
      const { outcome } = await deliverOne(destination.id);
      expect(outcome.errorKind).toBeNull();
      const length = await client.xLen(stream);
      expect(length).toBeGreaterThanOrEqual(maxLen);
      expect(length).toBeLessThan(maxLen + nodeEntries);
      // The newest entry, the one delivered, is kept.
      const [newest] = (await client.xRevRange(stream, '+', '-', { COUNT: 1 }))!;
      expect(newest!.message.body).toBe(BODY);
    } finally {
      await client.del(stream);
      client.destroy();
    }
  });

  it('as for HTTP: the circuit opens after a run of failures while the broker is down, and a probe closes it once it is back', async () => {
    const stream = `hookyard-circuit-${Date.now()}`;
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    try {
      const destination = await brokerDestination(`redis://127.0.0.1:${proxy.port}`, { stream }, new Array(30).fill(0));
      await proxy.stop();
      const failures = waitForEvents(worker, 'attempt:finish', CIRCUIT_THRESHOLD, recordedTo(destination.id));
      const events: { id: string }[] = [];
      for (let n = 0; n < 3; n++) events.push(await createTestEvent({ sourceId, destinationIds: [destination.id], body: BODY }));
      expect((await failures).map(({ outcome }) => outcome.errorKind)).toEqual(new Array(CIRCUIT_THRESHOLD).fill('refused'));
      const open = await db().destination.findUniqueOrThrow({ where: { id: destination.id } });
      expect(open.circuitState).toBe('open');
      expect(open.circuitRetryAt!.getTime()).toBeGreaterThan(Date.now() + 20_000);
      expect(await db().alert.count({ where: { destinationId: destination.id, kind: 'destination_circuit_open', status: 'open' } })).toBe(1);
      // Open: nothing is sent (a send claimed before it opened may still be finishing).
      await new Promise((resolve) => setTimeout(resolve, 300));
      const attemptsWhenOpen = await db().attempt.count({ where: { delivery: { destinationId: destination.id } } });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await db().attempt.count({ where: { delivery: { destinationId: destination.id } } })).toBe(attemptsWhenOpen);

      // The broker is back. The cool-down is 30 s (no setting), so support asks for the probe now,
      // as a person would; a probe inside the pool's reconnect backoff (at most a few hundred ms
      // here) fails at once and opens the circuit again, and asking again then goes through.
      await proxy.start();
      let probe: { outcome: { errorKind: string | null } } | null = null;
      for (let asked = 0; asked < 20 && probe?.outcome.errorKind !== null; asked++) {
        if (probe) await new Promise((resolve) => setTimeout(resolve, 250));
        const next = waitForEvent(worker, 'attempt:finish', recordedTo(destination.id));
        await probeDestinationNow(destination.id, support);
        probe = await next;
      }
      expect(probe?.outcome.errorKind).toBeNull();
      await untilWorkerShows(
        worker,
        async () => (await db().delivery.count({ where: { eventId: { in: events.map((e) => e.id) }, status: 'succeeded' } })) === 3,
        'all three delivered after the probe',
      );
      expect((await db().destination.findUniqueOrThrow({ where: { id: destination.id } })).circuitState).toBe('closed');
      expect(await client.xLen(stream)).toBe(3);
      const [alert] = await db().alert.findMany({ where: { destinationId: destination.id, kind: 'destination_circuit_open' } });
      expect(alert).toMatchObject({ status: 'resolved', resolvedBy: 'system' });
    } finally {
      await proxy.stop();
      await client.del(stream);
      client.destroy();
    }
  });

  it('as for HTTP: a failed delivery replayed (POST /api/v1/events/{id}/replay) arrives once the broker is back', async () => {
    const stream = `hookyard-replay-${Date.now()}`;
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    try {
      const destination = await brokerDestination(`redis://127.0.0.1:${proxy.port}`, { stream }, [0]);
      await proxy.stop();
      const failed = waitForEvent(worker, 'attempt:finish', recordedTo(destination.id));
      const event = await createTestEvent({ sourceId, destinationIds: [destination.id], body: BODY });
      expect((await failed).outcome.errorKind).toBe('refused');
      const original = await db().delivery.findFirstOrThrow({ where: { eventId: event.id } });
      await expect.poll(async () => (await db().delivery.findUniqueOrThrow({ where: { id: original.id } })).status).toBe('failed');

      await proxy.start();
      // One failed connect: the pool retries it after 200 ms (connection-pool.ts), sooner fails at once.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const key = (await issueApiKey({ name: 'support', role: 'SUPPORT' }, 'system')).key;
      const response = await replayEventRoute(
        new Request(`http://localhost/api/v1/events/${event.id}/replay`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ destinationId: destination.id }),
        }),
        { params: Promise.resolve({ id: event.id }) },
      );
      expect(response.status).toBe(202);
      const [replayId] = ((await response.json()) as { deliveries: string[] }).deliveries;
      await untilWorkerShows(
        worker,
        async () => (await db().delivery.findUniqueOrThrow({ where: { id: replayId! } })).status === 'succeeded',
        'the replay delivered',
      );
      const replay = await db().delivery.findUniqueOrThrow({ where: { id: replayId! } });
      expect(replay.replayOfId).toBe(original.id);
      const entries = (await client.xRange(stream, '-', '+'))!;
      expect(entries).toHaveLength(1);
      expect(entries[0]!.message.body).toBe(BODY);
      expect(entries[0]!.message.webhook_id).toBe(replayId);
      expect((await db().delivery.findUniqueOrThrow({ where: { id: original.id } })).status).toBe('failed');
    } finally {
      await proxy.stop();
      await client.del(stream);
      client.destroy();
    }
  });

  it('records a wrong user or password as auth (WRONGPASS), without the password in the message', async () => {
    const destination = await brokerDestination('redis://hookyard-nobody:wrong-password@127.0.0.1:6379', { stream: 'x' });
    const { outcome } = await deliverOne(destination.id);
    expect(outcome.errorKind).toBe('auth');
    expect(outcome.errorMessage).toContain('WRONGPASS');
    expect(JSON.stringify(outcome)).not.toContain('wrong-password');
  });

  it("a password a Redis without one refuses is auth: the local Redis's own answer is classified so", async () => {
    // The local Redis has no password (its `default` user is `nopass`). The transport's client
    // authenticates with HELLO 3 AUTH default <password>, which a nopass user accepts with any
    // password; the bare AUTH <password> of a RESP2 client gets "ERR AUTH <password> called
    // without any password configured…": a credential the server does not expect, so `auth`.
    const client = createClient({ url: 'redis://:not-configured@127.0.0.1:6379', RESP: 2, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined);
    const refused = await client.connect().then(
      () => null,
      (error: unknown) => error,
    );
    if (client.isOpen) client.destroy();
    expect(String(refused)).toMatch(/ERR AUTH <password> called without any password configured/);
    expect(classifyError(refused)).toBe('auth');
  });
});

describe.skipIf(skip('nats'))('NATS JetStream destinations', () => {
  it('publishes to the stream with Nats-Msg-Id = webhook-id, acknowledged by the stream', async () => {
    const nc = await natsConnect({ servers: '127.0.0.1:4222' });
    const jsm = await nc.jetstreamManager();
    const stream = `HOOKYARD_TEST_${Date.now()}`;
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
    try {
      const destination = await brokerDestination('nats://127.0.0.1:4222', { subject: `${stream}.{source}.{eventType}` });
      const { outcome, delivery, source } = await deliverOne(destination.id);
      expect(outcome.errorKind).toBeNull();
      expect(Buffer.from(delivery.attempts[0]!.responseBody!).toString()).toMatch(/seq 1/);
      const message = await jsm.streams.getMessage(stream, { seq: 1 });
      expect(message.subject).toBe(`${stream}.${source.slug}.order.created`);
      expect(Buffer.from(message.data).equals(Buffer.from(BODY))).toBe(true);
      const h = message.header;
      expect(h.get('Nats-Msg-Id')).toBe(delivery.id);
      expect(h.get('hookyard-event-type')).toBe('order.created');
      expect(() =>
        verify(Buffer.from(message.data), {
          'webhook-id': h.get('webhook-id'),
          'webhook-timestamp': h.get('webhook-timestamp'),
          'webhook-signature': h.get('webhook-signature'),
        }),
      ).not.toThrow();
    } finally {
      await jsm.streams.delete(stream);
      await nc.close();
    }
  });

  it('connects with the token of a nats://TOKEN@host URL, stored encrypted apart from the URL; a wrong token is auth', async () => {
    // A NATS server of its own that requires a token (the machine's has no auth), on a free port.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const free = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(free));
      });
    });
    const storeDir = mkdtempSync(join(tmpdir(), 'hookyard-nats-token-'));
    const token = `t0ken-${Date.now()}`;
    const server = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port), '--auth', token, '-js', '-sd', storeDir], { stdio: 'ignore' });
    try {
      await expect.poll(() => listening(port), { timeout: 10_000 }).toBe(true);
      const nc = await natsConnect({ servers: `127.0.0.1:${port}`, token });
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'TOKENED', subjects: ['tokened.>'] });
      try {
        const destination = await brokerDestination(`nats://${token}@127.0.0.1:${port}`, { subject: 'tokened.{eventType}' });
        const row = await db().destination.findUniqueOrThrow({ where: { id: destination.id } });
        expect(row.url).toBe(`nats://127.0.0.1:${port}`);
        expect(row.urlPassword).not.toBeNull();
        const { outcome, delivery } = await deliverOne(destination.id);
        expect(outcome.errorKind).toBeNull();
        expect((delivery.attempts[0]!.request as { url: string }).url).toBe(`nats://***@127.0.0.1:${port}`);
        expect(JSON.stringify(delivery.attempts)).not.toContain(token);
        expect(Number((await jsm.streams.info('TOKENED')).state.messages)).toBe(1);

        const wrong = await brokerDestination(`nats://not-the-token@127.0.0.1:${port}`, { subject: 'tokened.{eventType}' });
        expect((await deliverOne(wrong.id)).outcome.errorKind).toBe('auth');
      } finally {
        await nc.close();
      }
    } finally {
      server.kill();
      await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve(null)));
      rmSync(storeDir, { recursive: true, force: true });
    }
  });

  it('a subject no stream listens on is no_route', async () => {
    const destination = await brokerDestination('nats://127.0.0.1:4222', { subject: 'hookyard.nobody.listens' });
    const { outcome } = await deliverOne(destination.id);
    expect(outcome.errorKind).toBe('no_route');
  });

  it('a broker that went away is used again once it is back, without a worker restart', async () => {
    const nc = await natsConnect({ servers: '127.0.0.1:4222' });
    const jsm = await nc.jetstreamManager();
    const stream = `HOOKYARD_RESTART_${Date.now()}`;
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
    try {
      await survivesBrokerRestart(
        { port: 4222 },
        (port) => `nats://127.0.0.1:${port}`,
        { subject: `${stream}.{eventType}` },
        async () => Number((await jsm.streams.info(stream)).state.messages),
      );
    } finally {
      await jsm.streams.delete(stream);
      await nc.close();
    }
  });

  it('a broker that is down: refused attempts, then failed', async () => {
    await failsUntilExhausted('nats://127.0.0.1:1', { subject: 'x' }, 'refused');
  });
});

describe('a broker that never answers', () => {
  it('holds up only its own destination: an HTTP destination on the same events keeps its pace', async () => {
    // A "broker" that accepts connections and never says a word: every open waits for the timeout.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const sink = await startSink();
    try {
      const port = (silent.address() as AddressInfo).port;
      const stuck = await brokerDestination(`amqp://guest:guest@127.0.0.1:${port}`, { routingKey: 'never' }, [0, 60]);
      const healthy = await createTestDestination({ url: `${sink.url}/healthy` });
      const { source } = await createTestSource({ provider: 'none' });
      await createTestRoute({ sourceId: source.id, destinationId: stuck.id });
      await createTestRoute({ sourceId: source.id, destinationId: healthy.id });
      const count = 10;
      const timedOut = waitForEvents(worker, 'attempt:finish', count, recordedTo(stuck.id), 20_000);
      const delivered = waitForEvents(worker, 'attempt:finish', count, recordedTo(healthy.id), 20_000);
      const started = Date.now();
      for (let n = 0; n < count; n++) {
        const response = await fetch(ingest.ingestUrl(source.slug), { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"n":${n}}` });
        expect(response.status).toBe(202);
      }
      const healthyAttempts = await delivered;
      const healthyDoneAfter = Date.now() - started;
      expect(healthyAttempts.every(({ outcome }) => outcome.errorKind === null)).toBe(true);
      // The stuck destination's opens wait for its 2 s timeout; the HTTP ones never waited for them.
      expect(healthyDoneAfter).toBeLessThan(1_500);
      const stuckAttempts = await timedOut;
      expect(stuckAttempts.every(({ outcome }) => outcome.errorKind === 'timeout')).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    } finally {
      await sink.close();
      silent.close();
    }
  });
});
