import { connect } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/prisma';
import { sql } from '@/lib/db/sql';
import { DELIVERIES_CHANNEL } from '@/lib/db/channels';
import { flushIngestStats } from '@/lib/ingest/ingest-stats';
import { flushRejections } from '@/lib/ingest/record-rejection';
import { flushSecretUsage } from '@/lib/ingest/secret-usage';
import { INGEST_ENTRIES, type RunningIngestServer, startIngestServer } from '../support/ingest-server';
import { createTestDestination, createTestRoute, createTestSource } from '../support/fixtures';

const stripe = new Stripe('sk_test_unused');
const SECRET = 'whsec_test_secret_for_ingest_tests_1234';

function stripeRequest(payload: object, secret = SECRET, timestamp?: number) {
  const body = JSON.stringify(payload);
  const signature = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
  return { body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } };
}

let eventCounter = 0;
const stripeEvent = (type = 'payment_intent.succeeded') => ({
  id: `evt_${Date.now()}_${++eventCounter}`,
  object: 'event',
  type,
  data: { object: { id: `pi_${eventCounter}`, amount: 1000 } },
});

afterAll(async () => {
  await db().$disconnect();
});

describe.each(INGEST_ENTRIES)('ingest through the %s', (entry) => {
  let server: RunningIngestServer;
  beforeAll(async () => {
    server = await startIngestServer(entry);
  });
  afterAll(async () => {
    await server.close();
  });

  async function post(slug: string, request: { body: string | Buffer; headers: Record<string, string> }) {
    const body = typeof request.body === 'string' ? request.body : new Uint8Array(request.body);
    const response = await fetch(server.ingestUrl(slug), { method: 'POST', body, headers: request.headers });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
  }

  it('stores a verified event byte for byte with one delivery per matching route, then answers 202', async () => {
    const { source, secrets } = await createTestSource({ provider: 'stripe', secrets: [{ value: SECRET }] });
    const orders = await createTestDestination({ url: 'http://127.0.0.1:9/orders' });
    const payments = await createTestDestination({ url: 'http://127.0.0.1:9/payments' });
    await createTestRoute({ sourceId: source.id, destinationId: orders.id, eventTypes: ['order.*'] });
    await createTestRoute({ sourceId: source.id, destinationId: payments.id, eventTypes: ['payment_intent.*'] });

    const event = stripeEvent();
    // Odd spacing and key order must survive: the body is stored as received, not re-serialised.
    const request = stripeRequest(event);
    request.body = request.body.replace('"object":"event"', '"object" :  "event"');
    request.headers['stripe-signature'] = stripe.webhooks.generateTestHeaderString({ payload: request.body, secret: SECRET });
    const response = await post(source.slug, request);
    expect(response.status).toBe(202);

    const stored = await db().event.findUniqueOrThrow({ where: { id: response.body.id }, include: { deliveries: true } });
    expect(Buffer.from(stored.body).toString()).toBe(request.body);
    expect(stored).toMatchObject({ eventType: 'payment_intent.succeeded', dedupKey: event.id, verification: 'verified', matchedSecretId: secrets[0]!.id });
    expect(stored.headers).toMatchObject({ 'stripe-signature': request.headers['stripe-signature'] });
    expect(stored.headers).not.toHaveProperty('x-hookyard-client-ip');
    expect(stored.payload).toMatchObject({ type: 'payment_intent.succeeded' });
    expect(stored.deliveries.map((d) => [d.destinationId, d.status])).toEqual([[payments.id, 'pending']]);

    await flushSecretUsage();
    const secret = await db().secret.findUniqueOrThrow({ where: { id: secrets[0]!.id } });
    expect(secret.lastMatchedAt).not.toBeNull();
  });

  it('answers a repeat with 200 and the first id, and creates no new deliveries', async () => {
    const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: SECRET }] });
    const destination = await createTestDestination({ url: 'http://127.0.0.1:9/x' });
    await createTestRoute({ sourceId: source.id, destinationId: destination.id });
    const event = stripeEvent();
    const first = await post(source.slug, stripeRequest(event));
    const again = await post(source.slug, stripeRequest(event));
    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id, duplicate: true } });
    expect(await db().delivery.count({ where: { sourceId: source.id } })).toBe(1);
  });

  it('settles simultaneous copies of one event into a single event', async () => {
    const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: SECRET }] });
    const destination = await createTestDestination({ url: 'http://127.0.0.1:9/x' });
    await createTestRoute({ sourceId: source.id, destinationId: destination.id });
    const event = stripeEvent();
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(source.slug, stripeRequest(event))));
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.status === 202)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200 && r.body.duplicate)).toHaveLength(19);
    expect(await db().event.count({ where: { sourceId: source.id } })).toBe(1);
    expect(await db().delivery.count({ where: { sourceId: source.id } })).toBe(1);
  });

  it('refuses bad signatures with a generic 401 and records the reason', async () => {
    const { source } = await createTestSource({
      provider: 'stripe',
      secrets: [{ value: SECRET }, { value: 'whsec_rotated_out_secret_0000000', expiresAt: new Date(Date.now() - 1000) }],
    });
    const tampered = stripeRequest(stripeEvent());
    tampered.body = tampered.body.replace('1000', '9999');
    const wrongSecret = stripeRequest(stripeEvent(), 'whsec_some_other_secret_1111111');
    const rotatedOut = stripeRequest(stripeEvent(), 'whsec_rotated_out_secret_0000000');
    const stale = stripeRequest(stripeEvent(), SECRET, Math.floor(Date.now() / 1000) - 3600);
    const missing = { body: JSON.stringify(stripeEvent()), headers: { 'content-type': 'application/json' } };

    for (const request of [tampered, wrongSecret, rotatedOut, stale, missing]) {
      const response = await post(source.slug, request);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: { code: 'unauthorized', message: 'Webhook verification failed' } });
    }
    await flushRejections();
    await flushIngestStats();
    const reasons = (await db().rejectedRequest.findMany({ where: { sourceId: source.id }, orderBy: { id: 'asc' } })).map((r) => r.reason);
    expect(reasons).toEqual(['bad_signature', 'bad_signature', 'expired_secret', 'stale_timestamp', 'missing_header']);
    const rejected = await db().rejectedRequest.findFirstOrThrow({ where: { sourceId: source.id }, orderBy: { id: 'asc' } });
    expect(Buffer.from(rejected.bodyPreview).toString()).toContain('9999');
    const stats = await db().sourceMinuteStat.findMany({ where: { sourceId: source.id } });
    expect(stats.reduce((sum, row) => sum + row.rejected, 0)).toBe(5);
    expect(await db().event.count({ where: { sourceId: source.id } })).toBe(0);
  });

  it('answers 404 for unknown and disabled sources', async () => {
    const { source } = await createTestSource({ provider: 'none', data: { status: 'disabled' } });
    expect((await post('no-such-source', { body: '{}', headers: {} })).status).toBe(404);
    expect((await post(source.slug, { body: '{}', headers: {} })).status).toBe(404);
  });

  it('refuses addresses outside the allowlist with 403, and lets listed ones in', async () => {
    const blocked = await createTestSource({ provider: 'none', data: { ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'] } });
    const allowed = await createTestSource({ provider: 'none', data: { ipAllowlist: ['127.0.0.0/8'] } });
    expect((await post(blocked.source.slug, { body: '{}', headers: {} })).status).toBe(403);
    expect((await post(allowed.source.slug, { body: '{}', headers: {} })).status).toBe(202);
  });

  it('answers 429 with Retry-After over the rate limit', async () => {
    const { source } = await createTestSource({ provider: 'none', data: { rateLimitPerSecond: 3 } });
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(source.slug, { body: '{}', headers: {} })));
    const limited = responses.filter((r) => r.status === 429);
    expect(responses.filter((r) => r.status === 202).length).toBeLessThanOrEqual(6); // at most two windows' worth
    expect(limited.length).toBeGreaterThanOrEqual(4);
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
  });

  it('answers 413 for a declared oversize body without reading it', async () => {
    const { source } = await createTestSource({ provider: 'none', data: { sizeLimitBytes: 1024 } });
    const response = await post(source.slug, { body: Buffer.alloc(2048, 'a'), headers: {} });
    expect(response.status).toBe(413);
    expect((await post(source.slug, { body: Buffer.alloc(1024, 'a'), headers: {} })).status).toBe(202);
  });

  it('answers 413 for a slowly streamed chunked body as soon as it passes the limit', async () => {
    const { source } = await createTestSource({ provider: 'none', data: { sizeLimitBytes: 1024 } });
    const url = new URL(server.ingestUrl(source.slug));
    const answer = await new Promise<{ text: string; elapsedMs: number }>((resolve, reject) => {
      const started = Date.now();
      const socket = connect(Number(url.port), url.hostname);
      let text = '';
      let timer: NodeJS.Timeout | undefined;
      socket.on('connect', () => {
        socket.write(`POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nTransfer-Encoding: chunked\r\n\r\n`);
        // 1.5 KiB at once, then a trickle that would take a minute to finish.
        socket.write(`600\r\n${'a'.repeat(0x600)}\r\n`);
        timer = setInterval(() => socket.writable && socket.write('1\r\na\r\n'), 500);
      });
      socket.on('data', (chunk) => {
        text += chunk.toString();
        if (text.includes('\r\n\r\n')) {
          clearInterval(timer);
          socket.destroy();
          resolve({ text, elapsedMs: Date.now() - started });
        }
      });
      socket.on('error', reject);
    });
    expect(answer.text).toMatch(/^HTTP\/1\.1 413/);
    expect(answer.elapsedMs).toBeLessThan(5000);
  });

  it('stores concurrent events of one batch each with its own body, payload, headers and delivery', async () => {
    const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: SECRET }] });
    const destination = await createTestDestination({ url: 'http://127.0.0.1:9/x', data: { orderingKey: 'data.object.customer' } });
    await createTestRoute({ sourceId: source.id, destinationId: destination.id });
    // Text that must survive the batch document intact: quotes, backslashes, escapes, non-ASCII, big numbers.
    const notes = ['plain', 'quote " and \\ backslash', 'tab\t and newline\n', 'ünïcödé 日本 😀', '</script>{"x":1}', '\u2028 line separator'];
    const requests = Array.from({ length: 30 }, (_, i) => {
      const event = {
        ...stripeEvent(),
        data: { object: { id: `pi_${i}`, customer: `cus_${i % 3}`, note: notes[i % notes.length], amount: 10 ** 15 + i, ratio: 0.1 } },
      };
      return stripeRequest(event);
    });
    const responses = await Promise.all(requests.map((request) => post(source.slug, request)));
    expect(responses.map((r) => r.status)).toEqual(requests.map(() => 202));
    const stored = await db().event.findMany({ where: { sourceId: source.id }, include: { deliveries: true } });
    expect(stored).toHaveLength(30);
    for (const [i, response] of responses.entries()) {
      const event = stored.find((e) => e.id === response.body.id)!;
      const body = requests[i]!.body;
      expect(Buffer.from(event.body).toString()).toBe(body);
      expect(event.payload).toEqual(JSON.parse(body));
      expect(event.size).toBe(Buffer.byteLength(body));
      expect(event.headers).toMatchObject({ 'stripe-signature': requests[i]!.headers['stripe-signature'] });
      expect(event.deliveries).toHaveLength(1);
      expect(event.deliveries[0]).toMatchObject({ destinationId: destination.id, status: 'pending', orderingKey: `cus_${i % 3}` });
      expect(event.deliveries[0]!.createdAt).toEqual(event.receivedAt);
    }
  });

  it('stores ids and types holding NUL or a lone surrogate (which Postgres text cannot hold) cleaned, and still dedups them', async () => {
    const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: SECRET }] });
    const event = { ...stripeEvent('weird\u0000.type'), id: 'evt_nul\u0000_and_\ud800_lone' };
    const first = await post(source.slug, stripeRequest(event));
    expect(first.status).toBe(202);
    const stored = await db().event.findUniqueOrThrow({ where: { id: first.body.id } });
    expect(stored).toMatchObject({ dedupKey: 'evt_nul_and_\ufffd_lone', eventType: 'weird.type', payload: null });
    const again = await post(source.slug, stripeRequest(event));
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id, duplicate: true } });
  });

  it('wakes listening workers so that the last wake-up of a burst sees every delivery it created', async () => {
    const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: SECRET }] });
    const destination = await createTestDestination({ url: 'http://127.0.0.1:9/x' });
    await createTestRoute({ sourceId: source.id, destinationId: destination.id });
    // What a worker does on each wake-up: look for deliveries. No polling here.
    const seen: number[] = [];
    const listener = await sql().listen(DELIVERIES_CHANNEL, () => {
      void sql()<{ n: number }[]>`SELECT count(*)::int AS n FROM deliveries WHERE source_id = ${source.id}`.then(([row]) => seen.push(row!.n));
    });
    try {
      expect((await post(source.slug, stripeRequest(stripeEvent()))).status).toBe(202);
      await expect.poll(() => seen.at(-1), { timeout: 2000 }).toBe(1);
      const burst = await Promise.all(Array.from({ length: 40 }, () => post(source.slug, stripeRequest(stripeEvent()))));
      expect(burst.every((response) => response.status === 202)).toBe(true);
      await expect.poll(() => seen.at(-1), { timeout: 2000 }).toBe(41);
    } finally {
      await listener.unlisten();
    }
  });

  it('accepts unverified sources (none) and marks them unverified', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const response = await post(source.slug, {
      body: 'plain text body',
      headers: { 'content-type': 'text/plain', cookie: 'next-auth.session-token=someone-elses-session' },
    });
    expect(response.status).toBe(202);
    const event = await db().event.findUniqueOrThrow({ where: { id: response.body.id } });
    expect(event).toMatchObject({ verification: 'unverified', payload: null, contentType: 'text/plain' });
    expect(event.headers).not.toHaveProperty('cookie');
  });
});
