/**
 * Broker destinations through the JSON API: `options` validated per URL scheme (422 naming the
 * field), the URL's password encrypted at rest and shown as `***` in every answer (including
 * event detail's attempts), a PATCH that sends the masked URL back keeping it, and the admin-only,
 * audited reveal. Logging runs at `trace` into a file, and the password is searched for in it, in
 * every non-reveal answer and in the audit log.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const logFile = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? '/tmp'}/hookyard-broker-leak-${process.pid}-${Date.now()}.log`;
  process.env.LOG_LEVEL = 'trace';
  process.env.HOOKYARD_LOG_FILE = file;
  return file;
});

import { POST as revealUrl } from '@/app/api/v1/destinations/[id]/reveal-url/route';
import { GET as getDestination, PATCH as patchDestination } from '@/app/api/v1/destinations/[id]/route';
import { GET as listDestinations, POST as createDestination } from '@/app/api/v1/destinations/route';
import { GET as getEvent } from '@/app/api/v1/events/[id]/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { resetConfigForTests } from '@/lib/config/env';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';
import { recordedTo, waitForEvent } from '../support/worker-events';

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

// A port nothing listens on, so the worker's attempts fail (refused) and are logged.
const PASSWORD = 'S3cr3t-broker-pa55';
const URL_WITH_PASSWORD = `amqp://hookyard:${PASSWORD}@127.0.0.1:1/vhost`;
const MASKED = 'amqp://hookyard:***@127.0.0.1:1/vhost';
// A NATS URL with a user and no password names a token (lib/transports/nats-jetstream.ts): the same kind of secret.
const TOKEN = 'n4ts-T0ken-s3cret';
const URL_WITH_TOKEN = `nats://${TOKEN}@127.0.0.1:1`;
const MASKED_TOKEN = 'nats://***@127.0.0.1:1';

let admin: string;
let support: string;
let viewer: string;
let worker: DeliveryWorker;

beforeAll(async () => {
  admin = (await issueApiKey({ name: 'admin', role: 'ADMIN' }, 'system')).key;
  support = (await issueApiKey({ name: 'support', role: 'SUPPORT' }, 'system')).key;
  viewer = (await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system')).key;
  worker = new DeliveryWorker(sql, { pollIntervalMs: 50, recordDelayMs: 1 });
  await worker.start();
});

afterAll(async () => {
  await worker.stop();
  await closeSql();
  await db().$disconnect();
  if (existsSync(logFile)) rmSync(logFile);
});

describe('options are validated per scheme', () => {
  it.each([
    ['amqp without routingKey', { url: 'amqp://guest:guest@127.0.0.1:5672', options: { exchange: 'events' } }, 'options.routingKey'],
    ['redis without stream', { url: 'redis://127.0.0.1:6379', options: { maxLen: 10 } }, 'options.stream'],
    ['redis with a negative maxLen', { url: 'redis://127.0.0.1:6379', options: { stream: 's', maxLen: -1 } }, 'options.maxLen'],
    ['nats without subject', { url: 'nats://127.0.0.1:4222' }, 'options.subject'],
    ['an option of another type', { url: 'nats://127.0.0.1:4222', options: { subject: 'a.b', routingKey: 'x' } }, 'options'],
    ['options on an http destination', { url: 'http://127.0.0.1:9/hook', options: { exchange: 'x' } }, 'options'],
  ])('%s is a 422 naming the field', async (_name, input, path) => {
    const response = await call(createDestination, admin, { body: { name: 'bad', ...input } });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('invalid_input');
    expect(response.body.error.message).toContain(path);
  });

  it('says which required option is missing or empty in words a form can show at the field', async () => {
    for (const [options, path, message] of [
      [{ exchange: 'events' }, 'options.routingKey', 'Give a routing key'],
      [{ exchange: 'events', routingKey: '  ' }, 'options.routingKey', 'Give a routing key'],
    ] as const) {
      const response = await call(createDestination, admin, { body: { name: 'bad', url: 'amqp://guest:guest@127.0.0.1:5672', options } });
      expect(response.body.error.message).toBe(`${path}: ${message}`);
    }
    const redis = await call(createDestination, admin, { body: { name: 'bad', url: 'redis://127.0.0.1:6379', options: { stream: '' } } });
    expect(redis.body.error.message).toBe('options.stream: Give a stream name');
    const nats = await call(createDestination, admin, { body: { name: 'bad', url: 'nats://127.0.0.1:4222', options: {} } });
    expect(nats.body.error.message).toBe('options.subject: Give a subject');
  });

  it('refuses a scheme with no transport, and credentials in an http URL', async () => {
    const ftp = await call(createDestination, admin, { body: { name: 'ftp', url: 'ftp://127.0.0.1/x' } });
    expect(ftp.status).toBe(422);
    expect(ftp.body.error.message).toMatch(/scheme must be one of .*amqp/);
    const http = await call(createDestination, admin, { body: { name: 'creds', url: 'http://u:p@127.0.0.1:9/x' } });
    expect(http.status).toBe(422);
  });

  it('fills the amqp exchange default', async () => {
    const created = await call(createDestination, admin, {
      body: { name: 'rabbit', url: 'amqp://127.0.0.1:5672', options: { routingKey: '{source}.{eventType}' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.options).toEqual({ exchange: '', routingKey: '{source}.{eventType}' });
  });
});

describe('the private-address policy applies to brokers', () => {
  it('refuses metadata addresses always, and loopback brokers only when HOOKYARD_BLOCK_PRIVATE_DESTINATIONS=true, at save and at connect', async () => {
    const metadata = await call(createDestination, admin, { body: { name: 'meta', url: 'redis://169.254.169.254:6379', options: { stream: 's' } } });
    expect(metadata.status).toBe(422);
    // Saved while allowed (the default), then the deployment blocks private addresses.
    const destination = await createTestDestination({ url: 'redis://127.0.0.1:6379', data: { options: { stream: 'blocked' }, retrySchedule: [0] } });
    process.env.HOOKYARD_BLOCK_PRIVATE_DESTINATIONS = 'true';
    resetConfigForTests();
    try {
      const loopback = await call(createDestination, admin, { body: { name: 'lo', url: 'amqp://127.0.0.1:5672', options: { routingKey: 'x' } } });
      expect(loopback.status).toBe(422);
      expect(loopback.body.error.message).toMatch(/loopback.*HOOKYARD_BLOCK_PRIVATE_DESTINATIONS/);
      const { source } = await createTestSource({ provider: 'none' });
      const finished = waitForEvent(worker, 'attempt:finish', recordedTo(destination.id));
      await createTestEvent({ sourceId: source.id, destinationIds: [destination.id] });
      expect((await finished).outcome.errorKind).toBe('blocked_url');
    } finally {
      delete process.env.HOOKYARD_BLOCK_PRIVATE_DESTINATIONS;
      resetConfigForTests();
    }
  });
});

describe('the NATS token (a user-only NATS URL)', () => {
  let id: string;

  beforeAll(async () => {
    const created = await call(createDestination, admin, {
      body: { name: 'nats token', url: URL_WITH_TOKEN, options: { subject: 'orders.created' }, retrySchedule: [0] },
    });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(MASKED_TOKEN);
    id = created.body.id;
  });

  it('is stored encrypted, apart from the URL, and masked for every role', async () => {
    const row = await db().destination.findUniqueOrThrow({ where: { id } });
    expect(row.url).toBe('nats://127.0.0.1:1');
    expect(row.urlPassword).not.toBeNull();
    expect(Buffer.from(row.urlPassword!).includes(TOKEN)).toBe(false);
    for (const key of [admin, support, viewer]) {
      expect((await call(getDestination, key, { id })).body.url).toBe(MASKED_TOKEN);
      const list = await call(listDestinations, key);
      expect(list.body.data.find((d: { id: string }) => d.id === id).url).toBe(MASKED_TOKEN);
    }
  });

  it('is revealed to admins only, and each reveal is audited without the value', async () => {
    expect((await call(revealUrl, viewer, { id, isReveal: true })).status).toBe(403);
    expect((await call(revealUrl, support, { id, isReveal: true })).status).toBe(403);
    const revealed = await call(revealUrl, admin, { id, isReveal: true });
    expect(revealed.status).toBe(200);
    expect(revealed.body.url).toBe(URL_WITH_TOKEN);
    const audit = await db().auditLog.findMany({ where: { action: 'destination.reveal_url', targetId: id } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(TOKEN);
  });

  it('is kept by a PATCH that sends the masked URL back, and replaced by one that sends a new one', async () => {
    const kept = await call(patchDestination, admin, { method: 'PATCH', id, body: { url: MASKED_TOKEN, name: 'nats token (renamed)' } });
    expect(kept.status).toBe(200);
    expect(kept.body.url).toBe(MASKED_TOKEN);
    expect((await call(revealUrl, admin, { id, isReveal: true })).body.url).toBe(URL_WITH_TOKEN);

    const replaced = await call(patchDestination, admin, { method: 'PATCH', id, body: { url: 'nats://other-token@127.0.0.1:1' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.url).toBe(MASKED_TOKEN);
    expect((await call(revealUrl, admin, { id, isReveal: true })).body.url).toBe('nats://other-token@127.0.0.1:1');
    await call(patchDestination, admin, { method: 'PATCH', id, body: { url: URL_WITH_TOKEN } });
    expect((await call(revealUrl, admin, { id, isReveal: true })).body.url).toBe(URL_WITH_TOKEN);
  });

  it('stays apart from a NATS user:password URL, whose password is the secret and whose mask does not stand for a token', async () => {
    const created = await call(createDestination, admin, {
      body: { name: 'nats user', url: `nats://hookyard:${TOKEN}@127.0.0.1:1`, options: { subject: 'a.b' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe('nats://hookyard:***@127.0.0.1:1');
    const moved = await call(patchDestination, admin, { method: 'PATCH', id: created.body.id, body: { url: MASKED_TOKEN } });
    expect(moved.status).toBe(422);
    expect((await call(revealUrl, admin, { id: created.body.id, isReveal: true })).body.url).toBe(`nats://hookyard:${TOKEN}@127.0.0.1:1`);
    // A password without a user would come back as a token; NATS ignores it, so it is refused.
    const passwordOnly = await call(createDestination, admin, {
      body: { name: 'nats pass', url: `nats://:${TOKEN}@127.0.0.1:1`, options: { subject: 'a.b' } },
    });
    expect(passwordOnly.status).toBe(422);
    expect(passwordOnly.body.error.message).toMatch(/^url: /);
  });

  it('of a destination saved with the token in its URL is masked, and encrypted by a PATCH with the masked URL', async () => {
    const legacy = await createTestDestination({ url: `nats://${TOKEN}@127.0.0.1:1`, data: { options: { subject: 'a.b' } } });
    for (const key of [admin, viewer]) expect((await call(getDestination, key, { id: legacy.id })).body.url).toBe(MASKED_TOKEN);
    const saved = await call(patchDestination, admin, { method: 'PATCH', id: legacy.id, body: { url: MASKED_TOKEN } });
    expect(saved.status).toBe(200);
    const row = await db().destination.findUniqueOrThrow({ where: { id: legacy.id } });
    expect(row.url).toBe('nats://127.0.0.1:1');
    expect(row.urlPassword).not.toBeNull();
    expect((await call(revealUrl, admin, { id: legacy.id, isReveal: true })).body.url).toBe(URL_WITH_TOKEN);
  });

  it('never appears in an attempt, event detail or the audit log', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const failed = waitForEvent(worker, 'attempt:finish', recordedTo(id));
    const event = await createTestEvent({ sourceId: source.id, destinationIds: [id] });
    const { outcome } = await failed;
    expect(outcome.errorKind).toBe('refused');
    expect(outcome.request?.url).toBe(MASKED_TOKEN);
    for (const key of [admin, support, viewer]) {
      const detail = await call(getEvent, key, { id: event.id });
      expect(detail.status).toBe(200);
      expect(JSON.stringify(detail.body)).toContain(MASKED_TOKEN);
    }
    const attempts = await db().attempt.findMany({ where: { delivery: { destinationId: id } } });
    expect(attempts.length).toBeGreaterThan(0);
    expect(JSON.stringify(attempts)).not.toContain(TOKEN);
    const audit = await db().auditLog.findMany({ where: { action: { startsWith: 'destination.' } } });
    expect(audit.length).toBeGreaterThan(4);
    expect(JSON.stringify(audit)).not.toContain(TOKEN);
    for (const answer of answers) expect(answer).not.toContain(TOKEN);
  });
});

describe('the broker password', () => {
  let id: string;

  beforeAll(async () => {
    const created = await call(createDestination, admin, {
      body: { name: 'queue', url: URL_WITH_PASSWORD, options: { routingKey: 'orders' }, retrySchedule: [0] },
    });
    expect(created.status).toBe(201);
    id = created.body.id;
  });

  it('is stored encrypted, apart from the URL, and masked for every role', async () => {
    const row = await db().destination.findUniqueOrThrow({ where: { id } });
    expect(row.url).toBe('amqp://hookyard@127.0.0.1:1/vhost');
    expect(row.urlPassword).not.toBeNull();
    expect(Buffer.from(row.urlPassword!).includes(PASSWORD)).toBe(false);
    for (const key of [admin, support, viewer]) {
      expect((await call(getDestination, key, { id })).body.url).toBe(MASKED);
      const list = await call(listDestinations, key);
      expect(list.body.data.find((d: { id: string }) => d.id === id).url).toBe(MASKED);
    }
  });

  it('is revealed to admins only, and each reveal is audited without the value', async () => {
    expect((await call(revealUrl, viewer, { id, isReveal: true })).status).toBe(403);
    expect((await call(revealUrl, support, { id, isReveal: true })).status).toBe(403);
    const revealed = await call(revealUrl, admin, { id, isReveal: true });
    expect(revealed.status).toBe(200);
    expect(revealed.body.url).toBe(URL_WITH_PASSWORD);
    const audit = await db().auditLog.findMany({ where: { action: 'destination.reveal_url', targetId: id } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
  });

  it('is kept by a PATCH that sends the masked URL back, and replaced by one that sends a new one', async () => {
    const kept = await call(patchDestination, admin, { method: 'PATCH', id, body: { url: MASKED, name: 'queue (renamed)' } });
    expect(kept.status).toBe(200);
    expect(kept.body.url).toBe(MASKED);
    expect((await call(revealUrl, admin, { id, isReveal: true })).body.url).toBe(URL_WITH_PASSWORD);
    expect(kept.body.options).toEqual({ exchange: '', routingKey: 'orders' });

    const masked = await call(patchDestination, admin, { method: 'PATCH', id, body: { url: 'amqp://hookyard:***@127.0.0.1:1/other' } });
    expect(masked.status).toBe(200);
    expect((await call(revealUrl, admin, { id, isReveal: true })).body.url).toBe(`amqp://hookyard:${PASSWORD}@127.0.0.1:1/other`);
    await call(patchDestination, admin, { method: 'PATCH', id, body: { url: URL_WITH_PASSWORD } });

    const noRoutingKey = await call(patchDestination, admin, { method: 'PATCH', id, body: { options: { exchange: 'x' } } });
    expect(noRoutingKey.status).toBe(422);
    expect(noRoutingKey.body.error.message).toContain('options.routingKey');
  });

  it('never appears in an attempt, event detail, the log or the audit log', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const failed = waitForEvent(worker, 'attempt:finish', recordedTo(id));
    const event = await createTestEvent({ sourceId: source.id, destinationIds: [id] });
    const { outcome } = await failed;
    expect(outcome.errorKind).toBe('refused');
    expect(outcome.request?.url).toBe(MASKED);
    for (const key of [admin, support, viewer]) {
      const detail = await call(getEvent, key, { id: event.id });
      expect(detail.status).toBe(200);
      expect(JSON.stringify(detail.body)).toContain('***');
    }
    const attempts = await db().attempt.findMany({ where: { delivery: { destinationId: id } } });
    expect(JSON.stringify(attempts)).not.toContain(PASSWORD);
    const audit = await db().auditLog.findMany({ where: { targetId: id } });
    expect(audit.length).toBeGreaterThan(2);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    for (const answer of answers) expect(answer).not.toContain(PASSWORD);
    await worker.stop();
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(TOKEN);
  });
});
