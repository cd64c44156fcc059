/**
 * `/api/v1/notification-channels` as admins and scripts use it: per-type validation, the
 * destination URL rules (SSRF), admin-only with SUPPORT and VIEWER refused, audited changes,
 * the URL stored encrypted and shown as a hint only, a webhook channel's signing secret returned
 * once, "Send test message" through the real sender, and no URL or secret in any list answer or
 * in the log (written at `trace` to a file for this test).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const logFile = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? '/tmp'}/hookyard-channels-${process.pid}-${Date.now()}.log`;
  process.env.LOG_LEVEL = 'trace';
  process.env.HOOKYARD_LOG_FILE = file;
  return file;
});

import { Webhook } from 'standardwebhooks';
import { POST as testChannel } from '@/app/api/v1/notification-channels/[id]/test/route';
import { DELETE as deleteChannel, GET as getChannel, PATCH as patchChannel } from '@/app/api/v1/notification-channels/[id]/route';
import { GET as listChannels, POST as createChannel } from '@/app/api/v1/notification-channels/route';
import { GET as alertNotifications } from '@/app/api/v1/alerts/[id]/notifications/route';
import { GET as getAlert } from '@/app/api/v1/alerts/[id]/route';
import { raiseAlert } from '@/lib/alerts/raise-alert';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { resetConfigForTests } from '@/lib/config/env';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { decryptSecret } from '@/lib/secrets/encryption';
import { closeChannelDispatcher } from '@/lib/notifications/post-json';
import { createTestDestination } from '../support/fixtures';
import { type Sink, startSink } from '../support/sink';

type Handler = (request: Request, segment?: { params: Promise<any> }) => Promise<Response>;
const answers: string[] = [];

async function call(handler: Handler, key: string | null, options: { method?: string; body?: unknown; id?: string } = {}) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (key) headers.set('authorization', `Bearer ${key}`);
  const request = new Request('http://localhost/api/v1/notification-channels', {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await handler(request, options.id === undefined ? undefined : { params: Promise.resolve({ id: options.id }) });
  const text = await response.text();
  answers.push(text);
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any, text };
}

let admin: string;
let support: string;
let viewer: string;
let sink: Sink;

const slackPath = '/services/T0000000/B0000000/XyzSecretPathToken123';

beforeAll(async () => {
  admin = (await issueApiKey({ name: 'admin', role: 'ADMIN' }, 'system')).key;
  support = (await issueApiKey({ name: 'support', role: 'SUPPORT' }, 'system')).key;
  viewer = (await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system')).key;
  sink = await startSink();
});

afterEach(() => {
  delete process.env.HOOKYARD_SMTP_URL;
  delete process.env.HOOKYARD_EMAIL_FROM;
  delete process.env.HOOKYARD_BLOCK_PRIVATE_DESTINATIONS;
  resetConfigForTests();
});

afterAll(async () => {
  await sink.close();
  await closeChannelDispatcher();
  await closeSql();
  await db().$disconnect();
  if (existsSync(logFile)) rmSync(logFile);
});

const create = (body: unknown, key: string | null = admin) => call(createChannel, key, { method: 'POST', body });

describe('/api/v1/notification-channels', () => {
  it('is for admins only: SUPPORT and VIEWER get 403 on every operation, no key 401', async () => {
    const id = (await create({ name: 'Roles', type: 'webhook', url: `${sink.url}/roles` })).body.id as string;
    for (const key of [support, viewer]) {
      expect((await call(listChannels, key)).status).toBe(403);
      expect((await create({ name: 'x', type: 'webhook', url: `${sink.url}/x` }, key)).status).toBe(403);
      expect((await call(getChannel, key, { id })).status).toBe(403);
      expect((await call(patchChannel, key, { method: 'PATCH', id, body: { name: 'y' } })).status).toBe(403);
      expect((await call(deleteChannel, key, { method: 'DELETE', id })).status).toBe(403);
      expect((await call(testChannel, key, { method: 'POST', id })).status).toBe(403);
    }
    expect((await call(listChannels, null)).status).toBe(401);
    expect(sink.countFor('/roles')).toBe(0);
  });

  it('validates each type: slack and webhook need a url, email needs `to` with valid addresses, kinds must be alert kinds', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'no url', type: 'slack' }, 'url'],
      [{ name: 'no url', type: 'webhook' }, 'url'],
      [{ name: 'no to', type: 'email' }, 'to'],
      [{ name: 'empty to', type: 'email', to: [] }, 'to'],
      [{ name: 'bad to', type: 'email', to: ['ops@example.com', 'not an address'] }, 'to.1'],
      [{ name: 'to on slack', type: 'slack', url: `${sink.url}/s`, to: ['a@example.com'] }, 'to'],
      [{ name: 'bad kind', type: 'webhook', url: `${sink.url}/w`, kinds: ['circuit_open'] }, 'kinds.0'],
      [{ name: 'no kinds', type: 'webhook', url: `${sink.url}/w`, kinds: [] }, 'kinds'],
      [{ name: 'bad type', type: 'teams', url: `${sink.url}/w` }, 'type'],
      [{ name: 'extra', type: 'webhook', url: `${sink.url}/w`, secret: 'x' }, ''],
    ];
    for (const [body, path] of cases) {
      const answer = await create(body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error.code).toBe('invalid_input');
      expect(answer.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect((await call(createChannel, admin, { method: 'POST', body: 'not json' as unknown })).status).toBe(422);
  });

  it('refuses URLs the destination rules refuse (metadata, link-local, credentials, other schemes), and private ones when they are blocked', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/hook',
      'http://metadata.google.internal/x',
      'ftp://example.com/x',
      'http://user:pass@example.com/x',
    ]) {
      const answer = await create({ name: 'ssrf', type: 'slack', url });
      expect(answer.status, url).toBe(422);
      expect(answer.body.error.details[0].path).toBe('url');
    }
    process.env.HOOKYARD_BLOCK_PRIVATE_DESTINATIONS = 'true';
    resetConfigForTests();
    expect((await create({ name: 'private', type: 'webhook', url: `${sink.url}/private` })).status).toBe(422);
    const existing = (await db().notificationChannel.findFirstOrThrow({ where: { type: 'webhook' } })).id;
    expect((await call(patchChannel, admin, { method: 'PATCH', id: existing, body: { url: 'http://10.1.2.3/x' } })).status).toBe(422);
  });

  it('refuses an email channel while no SMTP server is configured, and accepts it once one is', async () => {
    const refused = await create({ name: 'Ops mail', type: 'email', to: ['ops@example.com'] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('HOOKYARD_SMTP_URL');
    process.env.HOOKYARD_SMTP_URL = 'smtp://mailer:mail-password@127.0.0.1:2525';
    process.env.HOOKYARD_EMAIL_FROM = 'hookyard@example.com';
    const created = await create({ name: 'Ops mail', type: 'email', to: ['Ops@Example.com', 'oncall@example.com'], kinds: ['delivery_exhausted'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'email', to: ['ops@example.com', 'oncall@example.com'], kinds: ['delivery_exhausted'], urlHint: null });
    expect(created.body).not.toHaveProperty('signingSecret');
  });

  it('stores the URL encrypted, shows a hint, returns the signing secret once, audits create, update and delete', async () => {
    const url = `${sink.url}${slackPath}`;
    const created = await create({ name: 'Team Slack', type: 'slack', url });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Team Slack',
      type: 'slack',
      kinds: null,
      enabled: true,
      health: { state: 'untested', consecutiveFailures: 0 },
    });
    expect(created.body.urlHint).toBe(`${sink.url}/…n123`);
    expect(created.text).not.toContain(slackPath);
    const row = await db().notificationChannel.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(Buffer.from(row.urlCiphertext!).toString('utf8')).not.toContain('XyzSecret');
    expect(decryptSecret(row.id, row.urlCiphertext!)).toBe(url);
    expect(row.kinds).toEqual([]);
    expect((await sql()`SELECT kinds IS NULL AS all_kinds FROM notification_channels WHERE id = ${row.id}`)[0]!.all_kinds).toBe(true);

    const hook = await create({ name: 'Ops webhook', type: 'webhook', url: `${sink.url}/ops-hook`, kinds: ['destination_circuit_open', 'delivery_exhausted'] });
    expect(hook.status).toBe(201);
    expect(hook.body.signingSecret).toMatch(/^whsec_/);
    const secret = hook.body.signingSecret as string;
    expect(hook.body.signingSecretHint).toMatch(/^whsec_•+/);
    const read = await call(getChannel, admin, { id: hook.body.id });
    expect(read.body).not.toHaveProperty('signingSecret');
    expect(read.text).not.toContain(secret.slice(6));

    const patched = await call(patchChannel, admin, { method: 'PATCH', id: hook.body.id, body: { name: 'Ops hook', kinds: null, enabled: false } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Ops hook', kinds: null, enabled: false });
    expect((await call(patchChannel, admin, { method: 'PATCH', id: hook.body.id, body: { to: ['a@example.com'] } })).status).toBe(422);
    expect((await call(patchChannel, admin, { method: 'PATCH', id: hook.body.id, body: { type: 'slack' } })).status).toBe(422);

    const list = await call(listChannels, admin);
    expect(list.body.data.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['Team Slack', 'Ops hook']));
    expect(list.text).not.toContain(slackPath);
    expect(list.text).not.toContain(secret.slice(6));
    for (const channel of list.body.data) expect(Object.keys(channel)).not.toEqual(expect.arrayContaining(['url', 'urlCiphertext', 'signingSecret']));

    const audit = await db().auditLog.findMany({ where: { targetId: hook.body.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((entry) => entry.action)).toEqual(['notification_channel.create', 'notification_channel.update']);
    expect(audit[1]).toMatchObject({ before: { name: 'Ops webhook', enabled: true }, after: { name: 'Ops hook', enabled: false, kinds: null } });
    expect(JSON.stringify(audit)).not.toContain('/ops-hook');

    expect((await call(deleteChannel, admin, { method: 'DELETE', id: hook.body.id })).status).toBe(200);
    expect((await call(getChannel, admin, { id: hook.body.id })).status).toBe(404);
    expect(await db().secret.count({ where: { channelId: hook.body.id } })).toBe(0);
    expect(await db().auditLog.count({ where: { targetId: hook.body.id, action: 'notification_channel.delete' } })).toBe(1);
    expect((await call(getChannel, admin, { id: 'not-a-uuid' })).status).toBe(404);
  });

  it('sends a test message now through the real sender: signed for a webhook, with the outcome and error kind in the answer', async () => {
    const created = await create({ name: 'Test target', type: 'webhook', url: `${sink.url}/test-target` });
    const secret = created.body.signingSecret as string;
    const ok = await call(testChannel, admin, { method: 'POST', id: created.body.id });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ delivered: true, status: 200, errorKind: null, error: null });
    const received = sink.received.filter((r) => r.path === '/test-target');
    expect(received).toHaveLength(1);
    const payload = new Webhook(secret).verify(received[0]!.body.toString('utf8'), received[0]!.headers as Record<string, string>) as { type: string };
    expect(payload.type).toBe('notification.test');
    expect(received[0]!.headers['webhook-id']).toBe(ok.body.notificationId);
    expect((await call(getChannel, admin, { id: created.body.id })).body.health).toMatchObject({ state: 'ok', lastError: null });

    sink.on('/test-broken', () => 503);
    const broken = await create({ name: 'Broken target', type: 'webhook', url: `${sink.url}/test-broken` });
    const failed = await call(testChannel, admin, { method: 'POST', id: broken.body.id });
    expect(failed.body).toMatchObject({ delivered: false, status: 503, errorKind: 'http_status', error: 'HTTP 503' });
    const refused = await create({ name: 'Nobody there', type: 'slack', url: 'http://127.0.0.1:9/services/T/B/abcdefghijkl' });
    const nobody = await call(testChannel, admin, { method: 'POST', id: refused.body.id });
    expect(nobody.body).toMatchObject({ delivered: false, errorKind: 'refused' });
    expect(nobody.text).not.toContain('abcdefghijkl');

    const history = await db().alertNotification.findMany({ where: { channelId: broken.body.id } });
    expect(history).toEqual([expect.objectContaining({ event: 'test', status: 'failed', attempts: 1, lastError: 'http_status: HTTP 503', alertId: null })]);
    expect(await db().auditLog.count({ where: { action: 'notification_channel.test', targetId: broken.body.id } })).toBe(1);
    expect((await call(testChannel, admin, { method: 'POST', id: '0190a0a0-0000-7000-8000-000000000000' })).status).toBe(404);
  });

  it("answers an alert's history to every role, naming channels without their URLs", async () => {
    const destination = await createTestDestination({ url: 'http://127.0.0.1:9/history', data: { name: 'History API' } });
    const alert = await raiseAlert(sql(), { kind: 'destination_disabled', destinationId: destination.id, message: 'disabled after 3 days of failures' });
    const history = await call(alertNotifications, viewer, { id: alert.id });
    expect(history.status).toBe(200);
    expect(history.body.data.length).toBeGreaterThan(0);
    expect(history.body.data[0]).toMatchObject({
      event: 'raised',
      status: 'pending',
      attempts: 0,
      channel: { name: expect.any(String), type: expect.any(String) },
    });
    expect(history.text).not.toContain(sink.url);
    const detail = await call(getAlert, viewer, { id: alert.id });
    expect(detail.body).toMatchObject({ id: alert.id, kind: 'destination_disabled', destination: { name: 'History API' } });
    expect((await call(alertNotifications, viewer, { id: '0190a0a0-0000-7000-8000-000000000000' })).status).toBe(404);
  });

  it('never writes a channel URL or signing secret to the log', async () => {
    const log = readFileSync(logFile, 'utf8');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(slackPath);
    expect(log).not.toContain('abcdefghijkl');
    expect(log).not.toContain('/ops-hook');
    for (const text of answers) expect(text).not.toContain('XyzSecretPathToken');
    const secrets = await db().secret.findMany({ where: { channelId: { not: null } }, select: { id: true, ciphertext: true } });
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(log).not.toContain(decryptSecret(secret.id, secret.ciphertext).slice(6));
  });
});
