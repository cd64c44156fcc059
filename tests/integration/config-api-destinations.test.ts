import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POST as pauseDestination } from '@/app/api/v1/destinations/[id]/pause/route';
import { POST as resumeDestination } from '@/app/api/v1/destinations/[id]/resume/route';
import { DELETE as deleteDestination, GET as getDestination, PATCH as patchDestination } from '@/app/api/v1/destinations/[id]/route';
import { POST as rotateSigningSecret } from '@/app/api/v1/destinations/[id]/secrets/rotate/route';
import { GET as listDestinations, POST as createDestination } from '@/app/api/v1/destinations/route';
import { DELETE as revokeSecret } from '@/app/api/v1/secrets/[id]/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { resetConfigForTests } from '@/lib/config/env';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { listDeliveries } from '@/lib/deliveries/list-deliveries';
import { listDeliveriesQuerySchema } from '@/lib/list-filters/list-filter.schema';
import { decryptSecret } from '@/lib/secrets/encryption';
import { loadSigningSecrets } from '@/lib/secrets/signing-secrets';

process.env.HOOKYARD_MASTER_KEY ??= randomBytes(32).toString('base64');
process.env.AUTH_SECRET ??= randomBytes(32).toString('base64');

type Handler = (request: Request, segment?: { params: Promise<any> }) => Promise<Response>;

async function call(handler: Handler, options: { key?: string | null; method?: string; body?: unknown; id?: string } = {}) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (options.key) headers.set('authorization', `Bearer ${options.key}`);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const request = new Request('http://localhost/api/v1/destinations', { method: options.method ?? 'GET', headers, body });
  const response = await handler(request, options.id === undefined ? undefined : { params: Promise.resolve({ id: options.id }) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any, text };
}

let admin: string;
let support: string;
let viewer: string;

beforeAll(async () => {
  admin = (await issueApiKey({ name: 'admin', role: 'ADMIN' }, 'system')).key;
  support = (await issueApiKey({ name: 'support', role: 'SUPPORT' }, 'system')).key;
  viewer = (await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system')).key;
});

afterEach(() => {
  delete process.env.HOOKYARD_BLOCK_PRIVATE_DESTINATIONS;
  resetConfigForTests();
});

const create = (body: unknown, key: string | null = admin) => call(createDestination, { key, method: 'POST', body });

describe('/api/v1/destinations', () => {
  it('needs a key, lets VIEWER read, and lets only ADMIN change configuration', async () => {
    expect((await call(listDestinations, { key: null })).status).toBe(401);
    expect((await call(listDestinations, { key: viewer })).status).toBe(200);
    expect((await create({ name: 'x', url: 'http://127.0.0.1:9/' }, viewer)).status).toBe(403);
    expect((await create({ name: 'x', url: 'http://127.0.0.1:9/' }, support)).status).toBe(403);

    const id = (await create({ name: 'Roles', url: 'http://127.0.0.1:9/' })).body.id;
    expect((await call(getDestination, { key: viewer, id })).status).toBe(200);
    for (const [handler, method] of [
      [patchDestination, 'PATCH'],
      [deleteDestination, 'DELETE'],
      [pauseDestination, 'POST'],
      [resumeDestination, 'POST'],
      [rotateSigningSecret, 'POST'],
    ] as const) {
      expect((await call(handler, { key: support, id, method, body: method === 'PATCH' ? { name: 'y' } : {} })).status).toBe(403);
    }
  });

  it('creates a destination with defaults and a whsec_ signing secret shown once', async () => {
    const created = await create({ name: 'Agent API', url: 'http://127.0.0.1:4000/hooks' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Agent API',
      url: 'http://127.0.0.1:4000/hooks',
      status: 'active',
      timeoutMs: 30_000,
      retrySchedule: [0, 5, 300, 1800, 7200, 18000, 36000, 36000],
      maxConcurrency: 10,
      rateLimitPerSecond: null,
      orderingKey: null,
      headers: {},
      circuitState: 'closed',
    });
    const signingSecret: string = created.body.signingSecret;
    expect(signingSecret).toMatch(/^whsec_/);
    expect(Buffer.from(signingSecret.slice(6), 'base64')).toHaveLength(24);
    expect(created.body.signingSecretHint).toBe(`whsec_••••••••${signingSecret.slice(-4)}`);

    // Stored encrypted with the destination; later answers show only its hint.
    const row = await db().secret.findFirstOrThrow({ where: { destinationId: created.body.id }, select: { id: true, ciphertext: true } });
    expect(Buffer.from(row.ciphertext).toString('latin1')).not.toContain(signingSecret.slice(6));
    expect(decryptSecret(row.id, row.ciphertext)).toBe(signingSecret);
    expect(await loadSigningSecrets(created.body.id)).toEqual([{ id: row.id, value: signingSecret }]);

    const read = await call(getDestination, { key: admin, id: created.body.id });
    expect(read.body.signingSecret).toBeUndefined();
    expect(read.body.signingSecretHint).toBe(created.body.signingSecretHint);
    expect(read.text).not.toContain(signingSecret);
    expect((await call(listDestinations, { key: viewer })).text).not.toContain(signingSecret);

    const audit = await db().auditLog.findFirst({ where: { action: 'destination.create', targetId: created.body.id } });
    expect(audit?.after).toMatchObject({ name: 'Agent API', url: 'http://127.0.0.1:4000/hooks', signingSecret: { id: row.id } });
    expect(JSON.stringify(await db().auditLog.findMany())).not.toContain(signingSecret);

    const full = await create({
      name: 'Full',
      url: 'https://127.0.0.1/full',
      timeoutMs: 5000,
      retrySchedule: [0, 60, 3600],
      headers: { Authorization: 'Bearer tok_live_supersecret', 'X-Tenant': 'acme' },
      orderingKey: 'data.object.id',
      maxConcurrency: 1,
      rateLimitPerSecond: 20,
    });
    expect(full.body).toMatchObject({
      timeoutMs: 5000,
      retrySchedule: [0, 60, 3600],
      headers: { authorization: 'Bearer tok_live_supersecret', 'x-tenant': 'acme' },
      orderingKey: 'data.object.id',
      maxConcurrency: 1,
      rateLimitPerSecond: 20,
    });
  });

  it('shows header values to admins only, and never writes them to the audit log', async () => {
    const created = await create({ name: 'Headers', url: 'http://127.0.0.1:9/', headers: { authorization: 'Bearer tok_hidden_from_viewers' } });
    const id = created.body.id;
    expect((await call(getDestination, { key: admin, id })).body.headers.authorization).toBe('Bearer tok_hidden_from_viewers');
    const asViewer = await call(getDestination, { key: viewer, id });
    expect(asViewer.body.headers.authorization).toBe('••••••••wers');
    expect(asViewer.text).not.toContain('tok_hidden_from_viewers');
    expect((await call(listDestinations, { key: support })).text).not.toContain('tok_hidden_from_viewers');
    expect(JSON.stringify(await db().auditLog.findMany({ where: { targetId: id } }))).not.toContain('tok_hidden_from_viewers');
  });

  it('answers invalid input with 422', async () => {
    const url = 'http://127.0.0.1:9/';
    const cases: unknown[] = [
      { name: 'x', url, extra: 1 },
      { name: 'x' },
      { name: 'x', url, timeoutMs: 500 },
      { name: 'x', url, timeoutMs: 120_001 },
      { name: 'x', url, retrySchedule: [] },
      { name: 'x', url, retrySchedule: Array(21).fill(1) },
      { name: 'x', url, retrySchedule: [8 * 86_400] },
      { name: 'x', url, retrySchedule: [-1] },
      { name: 'x', url, headers: { host: 'evil.example' } },
      { name: 'x', url, headers: { Connection: 'close' } },
      { name: 'x', url, headers: { 'Transfer-Encoding': 'chunked' } },
      { name: 'x', url, headers: { 'webhook-signature': 'v1,forged' } },
      { name: 'x', url, headers: { 'x-ok': 'line\r\nbreak' } },
      { name: 'x', url, headers: { 'bad header': 'x' } },
      { name: 'x', url, orderingKey: 'items[x' },
      { name: 'x', url, maxConcurrency: 0 },
      { name: 'x', url: 'ftp://example.com/' },
      { name: 'x', url: 'https://user:pass@127.0.0.1/' },
    ];
    for (const body of cases) {
      const answer = await create(body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error.code).toBe('invalid_input');
    }
    const host = await create({ name: 'x', url, headers: { Host: 'evil.example' } });
    expect(host.body.error.message).toMatch(/host/);
  });

  it('refuses metadata and link-local URLs always, and private ones only with the flag', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://metadata.google.internal/',
      'http://[fe80::1]/',
    ]) {
      const answer = await create({ name: 'bad', url });
      expect(answer.status, url).toBe(422);
      expect(answer.body.error.message).toMatch(/metadata|link-local/);
    }
    expect((await create({ name: 'loopback', url: 'http://127.0.0.1:8080/' })).status).toBe(201);
    expect((await create({ name: 'localhost', url: 'http://localhost:8080/' })).status).toBe(201);
    expect((await create({ name: 'private', url: 'http://10.1.2.3/' })).status).toBe(201);

    process.env.HOOKYARD_BLOCK_PRIVATE_DESTINATIONS = 'true';
    resetConfigForTests();
    const loopback = await create({ name: 'loopback', url: 'http://127.0.0.1:8080/' });
    expect(loopback.status).toBe(422);
    expect(loopback.body.error.message).toMatch(/loopback.*HOOKYARD_BLOCK_PRIVATE_DESTINATIONS/);
    expect((await create({ name: 'private', url: 'http://192.168.0.10/' })).status).toBe(422);
    expect((await create({ name: 'localhost', url: 'http://localhost:8080/' })).status).toBe(422);

    delete process.env.HOOKYARD_BLOCK_PRIVATE_DESTINATIONS;
    resetConfigForTests();
    const id = (await create({ name: 'moving', url: 'http://127.0.0.1:8080/' })).body.id;
    expect((await call(patchDestination, { key: admin, id, method: 'PATCH', body: { url: 'http://169.254.169.254/' } })).status).toBe(422);
    expect((await call(getDestination, { key: admin, id })).body.url).toBe('http://127.0.0.1:8080/');
  });

  it('changes a destination with an audited before/after, and 404s unknown ids', async () => {
    const id = (await create({ name: 'Before', url: 'http://127.0.0.1:1/', headers: { 'x-a': 'secret-a-value' } })).body.id;
    const changed = await call(patchDestination, {
      key: admin,
      id,
      method: 'PATCH',
      body: { name: 'After', timeoutMs: 10_000, headers: { 'x-b': 'b' }, orderingKey: null, rateLimitPerSecond: 5 },
    });
    expect(changed).toMatchObject({ status: 200, body: { name: 'After', timeoutMs: 10_000, headers: { 'x-b': 'b' }, rateLimitPerSecond: 5 } });
    const audit = await db().auditLog.findFirst({ where: { action: 'destination.update', targetId: id } });
    expect(audit?.before).toMatchObject({ name: 'Before', timeoutMs: 30_000, headers: { 'x-a': '••••••••alue' } });
    expect(audit?.after).toMatchObject({ name: 'After', timeoutMs: 10_000 });
    expect(JSON.stringify(audit)).not.toContain('secret-a-value');

    expect((await call(patchDestination, { key: admin, id, method: 'PATCH', body: {} })).status).toBe(422);
    expect((await call(patchDestination, { key: admin, id, method: 'PATCH', body: { status: 'paused' } })).status).toBe(422);
    for (const bad of ['not-a-uuid', '0190f3a1-0000-7000-8000-000000000000']) {
      expect((await call(getDestination, { key: admin, id: bad })).status).toBe(404);
      expect((await call(patchDestination, { key: admin, id: bad, method: 'PATCH', body: { name: 'x' } })).status).toBe(404);
      expect((await call(deleteDestination, { key: admin, id: bad, method: 'DELETE' })).status).toBe(404);
      expect((await call(pauseDestination, { key: admin, id: bad, method: 'POST' })).status).toBe(404);
      expect((await call(resumeDestination, { key: admin, id: bad, method: 'POST' })).status).toBe(404);
      expect((await call(rotateSigningSecret, { key: admin, id: bad, method: 'POST', body: {} })).status).toBe(404);
    }
  });

  it('pauses, resumes (re-queuing held deliveries) and disables', async () => {
    const destinationId = (await create({ name: 'Pausable', url: 'http://127.0.0.1:7/' })).body.id;
    const other = (await create({ name: 'Other', url: 'http://127.0.0.1:8/' })).body.id;
    const source = await db().source.create({ data: { name: 'S', slug: `s-${randomBytes(3).toString('hex')}`, provider: 'none' } });
    const eventId = newId();
    await db().event.create({
      data: { id: eventId, sourceId: source.id, headers: {}, body: new Uint8Array(Buffer.from('{}')), size: 2, verification: 'unverified' },
    });
    // Held deliveries are stored pending (paused is derived from the destination), due since they arrived.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    const delivery = (destination: string, status: 'pending' | 'failed') =>
      db().delivery.create({ data: { id: newId(), eventId, sourceId: source.id, destinationId: destination, status, nextAttemptAt: anHourAgo } });

    const paused = await call(pauseDestination, { key: admin, id: destinationId, method: 'POST' });
    expect(paused).toMatchObject({ status: 200, body: { status: 'paused' } });
    expect(paused.body.pausedAt).toBeTruthy();
    expect(await db().auditLog.count({ where: { action: 'destination.pause', targetId: destinationId } })).toBe(1);

    await call(pauseDestination, { key: admin, id: other, method: 'POST' });
    const held = [await delivery(destinationId, 'pending'), await delivery(destinationId, 'pending')];
    const failed = await delivery(destinationId, 'failed');
    const otherHeld = await delivery(other, 'pending');
    const reported = async (id: string) => (await listDeliveries(listDeliveriesQuerySchema.parse({ destinationId: id }))).data.map((d) => d.status).sort();
    expect(await reported(destinationId)).toEqual(['failed', 'paused', 'paused']);

    const started = Date.now();
    const resumed = await call(resumeDestination, { key: admin, id: destinationId, method: 'POST' });
    expect(resumed).toMatchObject({ status: 200, body: { status: 'active', pausedAt: null, requeued: 2 } });
    for (const row of held) {
      const now = await db().delivery.findUniqueOrThrow({ where: { id: row.id } });
      expect(now.status).toBe('pending');
      expect(now.nextAttemptAt.getTime()).toBeLessThanOrEqual(started);
    }
    expect(await reported(destinationId)).toEqual(['failed', 'pending', 'pending']);
    expect((await db().delivery.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe('failed');
    expect(await reported(other)).toEqual(['paused']);
    expect((await db().delivery.findUniqueOrThrow({ where: { id: otherHeld.id } })).status).toBe('pending');
    const audit = await db().auditLog.findFirst({ where: { action: 'destination.resume', targetId: destinationId } });
    expect(audit?.before).toMatchObject({ status: 'paused' });
    expect(audit?.after).toMatchObject({ status: 'active', requeued: 2 });

    // DELETE disables; a disabled destination cannot be paused, and resume brings it back with a fresh circuit.
    await db().destination.update({ where: { id: destinationId }, data: { consecutiveFailures: 40, circuitState: 'open', failingSince: new Date() } });
    const disabled = await call(deleteDestination, { key: admin, id: destinationId, method: 'DELETE' });
    expect(disabled).toMatchObject({ status: 200, body: { status: 'disabled' } });
    expect(await db().destination.findUnique({ where: { id: destinationId } })).not.toBeNull();
    expect((await call(pauseDestination, { key: admin, id: destinationId, method: 'POST' })).status).toBe(409);
    const back = await call(resumeDestination, { key: admin, id: destinationId, method: 'POST' });
    expect(back.body).toMatchObject({ status: 'active', disabledAt: null, circuitState: 'closed', consecutiveFailures: 0, failingSince: null });
  });

  it('rotates the signing secret with a grace period, signing with both until the old one expires', async () => {
    const created = await create({ name: 'Signer', url: 'http://127.0.0.1:7/' });
    const id = created.body.id;
    const oldSecret = created.body.secrets[0];

    // The only active signing secret cannot be revoked.
    expect((await call(revokeSecret, { key: admin, id: oldSecret.id, method: 'DELETE' })).status).toBe(409);

    expect((await call(rotateSigningSecret, { key: admin, id, method: 'POST', body: { value: 'not-a-whsec' } })).status).toBe(422);
    const started = Date.now();
    const rotated = await call(rotateSigningSecret, { key: admin, id, method: 'POST', body: { graceSeconds: 3600 } });
    expect(rotated.status).toBe(201);
    expect(rotated.body.value).toMatch(/^whsec_/);
    expect(rotated.body.expiring).toHaveLength(1);
    expect(new Date(rotated.body.expiring[0].expiresAt).getTime()).toBeGreaterThanOrEqual(started + 3_600_000 - 1000);
    expect(new Date(rotated.body.expiring[0].expiresAt).getTime()).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1000);

    const signing = await loadSigningSecrets(id);
    expect(signing.map((secret) => secret.value)).toEqual([rotated.body.value, created.body.signingSecret]);
    expect(await loadSigningSecrets(id, new Date(Date.now() + 3_601_000))).toEqual([{ id: rotated.body.id, value: rotated.body.value }]);

    const read = await call(getDestination, { key: viewer, id });
    expect(read.body.signingSecretHint).toBe(rotated.body.hint);
    expect(read.text).not.toContain(rotated.body.value);

    const audit = await db().auditLog.findFirst({ where: { action: 'secret.rotate', targetId: id } });
    expect(audit).toMatchObject({ targetType: 'destination' });
    const auditText = JSON.stringify(await db().auditLog.findMany());
    expect(auditText).not.toContain(rotated.body.value);
    expect(auditText).not.toContain(created.body.signingSecret);

    // With a newer one active, the old one may be revoked.
    expect((await call(revokeSecret, { key: admin, id: oldSecret.id, method: 'DELETE' })).status).toBe(200);

    const given = `whsec_${randomBytes(32).toString('base64')}`;
    const withValue = await call(rotateSigningSecret, { key: admin, id, method: 'POST', body: { value: given, graceSeconds: 0 } });
    expect(withValue.body.value).toBe(given);
    expect((await loadSigningSecrets(id, new Date(Date.now() + 10))).map((secret) => secret.value)).toEqual([given]);
  });
});
