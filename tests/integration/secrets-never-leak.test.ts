/**
 * Secret values never reach a log line, an error, or a response to anyone but an admin's reveal.
 * Logging runs at `trace` into a file for this test; then every secret value in play — source
 * secrets (including one sent in a header by the token scheme), destination signing secrets,
 * the admin's API key — is searched for in the log, in every non-reveal answer, in the audit
 * log and in stored request headers.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';

const logFile = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? '/tmp'}/hookyard-leak-${process.pid}-${Date.now()}.log`;
  process.env.LOG_LEVEL = 'trace';
  process.env.HOOKYARD_LOG_FILE = file;
  return file;
});

import { GET as getDestination } from '@/app/api/v1/destinations/[id]/route';
import { GET as listDestinations, POST as createDestination } from '@/app/api/v1/destinations/route';
import { POST as revealSecret } from '@/app/api/v1/secrets/[id]/reveal/route';
import { GET as getSource } from '@/app/api/v1/sources/[id]/route';
import { POST as addSecret } from '@/app/api/v1/sources/[id]/secrets/route';
import { POST as rotateSecret } from '@/app/api/v1/sources/[id]/secrets/rotate/route';
import { GET as listSources, POST as createSource } from '@/app/api/v1/sources/route';
import { POST as createRoute } from '@/app/api/v1/routes/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { flushRejections } from '@/lib/ingest/record-rejection';
import { type RunningIngestServer, startIngestServer } from '../support/ingest-server';
import { startSink, type Sink } from '../support/sink';
import { untilWorkerShows } from '../support/worker-events';

type Handler = (request: Request, segment?: { params: Promise<any> }) => Promise<Response>;
const answers: string[] = [];

async function call(handler: Handler, key: string, options: { method?: string; body?: unknown; id?: string; isReveal?: boolean } = {}) {
  const request = new Request('http://localhost/api/v1/x', {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await handler(request, options.id ? { params: Promise.resolve({ id: options.id }) } : undefined);
  const text = await response.text();
  if (!options.isReveal) answers.push(text);
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
}

let server: RunningIngestServer;
let sink: Sink;
let worker: DeliveryWorker;

beforeAll(async () => {
  server = await startIngestServer('lean server');
  sink = await startSink(() => ({ status: 500, body: 'downstream failure' }));
  worker = new DeliveryWorker(sql, { pollIntervalMs: 50, recordDelayMs: 1 });
  await worker.start();
});

afterAll(async () => {
  await worker.stop();
  await server.close();
  await sink.close();
  await closeSql();
  await db().$disconnect();
  if (existsSync(logFile)) rmSync(logFile);
});

it('keeps every secret value out of logs, errors and non-admin answers', async () => {
  const { key: adminKey } = await issueApiKey({ name: 'admin', role: 'ADMIN' }, 'system');
  const { key: supportKey } = await issueApiKey({ name: 'support', role: 'SUPPORT' }, 'system');
  const { key: viewerKey } = await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system');
  const values: string[] = [adminKey];

  // A Stripe source: a chosen secret, a generated one, a rotated one.
  const stripeSource = await call(createSource, adminKey, { body: { name: 'Stripe leak test', provider: 'stripe' } });
  const chosen = 'whsec_chosen_value_that_must_never_leak_1';
  values.push(chosen);
  await call(addSecret, adminKey, { id: stripeSource.body.id, body: { value: chosen }, isReveal: true });
  const generated = await call(addSecret, adminKey, { id: stripeSource.body.id, body: {}, isReveal: true });
  values.push(generated.body.value);
  const rotated = await call(rotateSecret, adminKey, { id: stripeSource.body.id, body: { graceSeconds: 60 }, isReveal: true });
  values.push(rotated.body.value);

  // A token source: the secret itself travels in a request header.
  const tokenSource = await call(createSource, adminKey, { body: { name: 'Token leak test', provider: 'token' } });
  const token = 'tok_shared_token_value_that_must_never_leak';
  values.push(token);
  await call(addSecret, adminKey, { id: tokenSource.body.id, body: { value: token }, isReveal: true });

  // A destination: its signing secret is shown once, at creation.
  const destination = await call(createDestination, adminKey, { body: { name: 'Leak sink', url: `${sink.url}/leak`, retrySchedule: [0] } });
  answers.pop(); // the creation answer carries signingSecret by design
  values.push(destination.body.signingSecret);
  await call(createRoute, adminKey, { body: { sourceId: tokenSource.body.id, destinationId: destination.body.id } });

  // Traffic, good and bad, through the real ingest route.
  const stripe = new Stripe('sk_test_unused');
  const body = JSON.stringify({ id: 'evt_leak_1', type: 'charge.succeeded' });
  const post = (slug: string, headers: Record<string, string>, payload = body) =>
    fetch(server.ingestUrl(slug), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
  expect(
    (await post(stripeSource.body.slug, { 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret: rotated.body.value }) }))
      .status,
  ).toBe(202);
  expect((await post(stripeSource.body.slug, { 'stripe-signature': 't=1,v1=00' })).status).toBe(401);
  expect((await post(tokenSource.body.slug, { 'x-webhook-token': 'wrong-token' })).status).toBe(401);
  expect((await post(tokenSource.body.slug, { 'x-webhook-token': token }, '{"id":"tok_evt"}')).status).toBe(202);
  await untilWorkerShows(worker, async () => sink.received.length >= 1, 'a forward to the failing sink', 10_000);
  await worker.idle();
  await flushRejections();

  // Reads by non-admins, and a reveal they are refused.
  for (const key of [viewerKey, supportKey]) {
    await call(listSources, key);
    await call(getSource, key, { id: stripeSource.body.id });
    await call(getSource, key, { id: tokenSource.body.id });
    await call(listDestinations, key);
    await call(getDestination, key, { id: destination.body.id });
    const refused = await call(revealSecret, key, { method: 'POST', id: generated.body.id });
    expect(refused.status).toBe(403);
  }
  // The admin's reveal does return the value (and only it is exempt from the search).
  const revealed = await call(revealSecret, adminKey, { method: 'POST', id: generated.body.id, isReveal: true });
  expect(revealed.body.value).toBe(generated.body.value);

  // The forwarded request must not carry the source's token either.
  expect(sink.received[0]!.headers['x-webhook-token']).not.toBe(token);

  const log = readFileSync(logFile, 'utf8');
  expect(log.length).toBeGreaterThan(0); // trace logging really ran
  const stored = JSON.stringify([
    await db().event.findMany({ select: { headers: true } }),
    await db().rejectedRequest.findMany({ select: { headers: true, detail: true } }),
    await db().auditLog.findMany(),
    await db().attempt.findMany({ select: { errorMessage: true, responseHeaders: true } }),
  ]);
  for (const value of values) {
    expect(value.length).toBeGreaterThan(8);
    expect(log, 'a secret value in the log').not.toContain(value);
    expect(stored, 'a secret value stored in clear').not.toContain(value);
    for (const answer of answers) expect(answer, 'a secret value in a non-reveal answer').not.toContain(value);
  }
}, 60_000);
