import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET as getSource, PATCH as patchSource, DELETE as deleteSource } from '@/app/api/v1/sources/[id]/route';
import { GET as listSources, POST as createSource } from '@/app/api/v1/sources/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { resetConfigForTests } from '@/lib/config/env';
import { db } from '@/lib/db/prisma';

process.env.HOOKYARD_MASTER_KEY ??= randomBytes(32).toString('base64');
process.env.AUTH_SECRET ??= randomBytes(32).toString('base64');

type Handler = (request: Request, segment?: { params: Promise<any> }) => Promise<Response>;

async function call(handler: Handler, options: { key?: string | null; method?: string; body?: unknown; id?: string; url?: string } = {}) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (options.key) headers.set('authorization', `Bearer ${options.key}`);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const request = new Request(options.url ?? 'http://localhost/api/v1/sources', { method: options.method ?? 'GET', headers, body });
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
  delete process.env.HOOKYARD_PUBLIC_URL;
  resetConfigForTests();
});

const post = (body: unknown, key: string | null = admin) => call(createSource, { key, method: 'POST', body });

describe('/api/v1/sources', () => {
  it('needs a key, lets VIEWER read, and lets only ADMIN change configuration', async () => {
    expect(await call(listSources, { key: null })).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await post({ name: 'x', provider: 'stripe' }, null)).toMatchObject({ status: 401 });
    expect((await call(listSources, { key: viewer })).status).toBe(200);
    expect(await post({ name: 'x', provider: 'stripe' }, viewer)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await post({ name: 'x', provider: 'stripe' }, support)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const created = await post({ name: 'Role check', provider: 'stripe' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call(getSource, { key: viewer, id })).status).toBe(200);
    expect((await call(patchSource, { key: support, id, method: 'PATCH', body: { name: 'y' } })).status).toBe(403);
    expect((await call(deleteSource, { key: viewer, id, method: 'DELETE' })).status).toBe(403);
  });

  it('creates a source with a generated slug, preset defaults and an ingest URL', async () => {
    const created = await post({ name: 'Stripe (Prod) – EU', provider: 'stripe' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: 'stripe-prod-eu',
      name: 'Stripe (Prod) – EU',
      provider: 'stripe',
      providerLabel: 'Stripe',
      verifies: true,
      status: 'active',
      ingestUrl: 'http://localhost/api/ingest/stripe-prod-eu',
      settings: { toleranceSeconds: 300 },
      sizeLimitBytes: 1024 * 1024,
      rateLimitPerSecond: null,
      ipAllowlist: [],
      dedupEnabled: true,
      secrets: [],
    });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);

    // The same name again gets the next free slug; a chosen slug that is taken is a 409.
    expect((await post({ name: 'Stripe (Prod) – EU', provider: 'stripe' })).body.slug).toBe('stripe-prod-eu-2');
    expect(await post({ name: 'Other', slug: 'stripe-prod-eu', provider: 'stripe' })).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict' } },
    });

    const full = await post({
      name: 'Custom HMAC',
      slug: 'custom-hmac',
      provider: 'hmac',
      settings: { header: 'X-Sig', algorithm: 'sha512', template: '{timestamp}.{body}', timestampHeader: 'X-Ts' },
      sizeLimitBytes: 5 * 1024 * 1024,
      rateLimitPerSecond: 50,
      ipAllowlist: ['203.0.113.0/24', '198.51.100.7', '2001:DB8::/32'],
      dedupHeader: 'X-Request-Id',
      dedupJsonPath: 'event.id',
      dedupEnabled: false,
      eventTypeJsonPath: 'items[0].type',
    });
    expect(full.status).toBe(201);
    expect(full.body).toMatchObject({
      slug: 'custom-hmac',
      settings: { header: 'x-sig', algorithm: 'sha512', encoding: 'hex', template: '{timestamp}.{body}', timestampHeader: 'x-ts' },
      sizeLimitBytes: 5 * 1024 * 1024,
      rateLimitPerSecond: 50,
      ipAllowlist: ['203.0.113.0/24', '198.51.100.7/32', '2001:db8::/32'],
      dedupHeader: 'x-request-id',
      dedupJsonPath: 'event.id',
      dedupEnabled: false,
      eventTypeJsonPath: 'items[0].type',
    });

    const list = await call(listSources, { key: viewer });
    expect(list.body.data.map((source: { slug: string }) => source.slug)).toEqual(expect.arrayContaining(['stripe-prod-eu', 'custom-hmac']));
  });

  it('uses HOOKYARD_PUBLIC_URL for the ingest URL when set', async () => {
    process.env.HOOKYARD_PUBLIC_URL = 'https://hooks.example.com/';
    resetConfigForTests();
    const created = await post({ name: 'Public', provider: 'github' });
    expect(created.body.ingestUrl).toBe('https://hooks.example.com/api/ingest/public');
  });

  it('answers invalid input with 422 in the contract shape', async () => {
    const cases: unknown[] = [
      { name: 'x', provider: 'stripe', colour: 'red' },
      { name: 'x', provider: 'nope' },
      { name: '', provider: 'stripe' },
      { name: 'x', slug: 'Bad Slug', provider: 'stripe' },
      { name: 'x', provider: 'stripe', sizeLimitBytes: 26 * 1024 * 1024 },
      { name: 'x', provider: 'stripe', ipAllowlist: ['10.0.0.0/33'] },
      { name: 'x', provider: 'stripe', ipAllowlist: ['not-an-ip'] },
      { name: 'x', provider: 'stripe', ipAllowlist: ['10.0.0.5/24'] },
      { name: 'x', provider: 'stripe', settings: { toleranceSeconds: 'soon' } },
      { name: 'x', provider: 'stripe', settings: { unknownSetting: true } },
      { name: 'x', provider: 'hmac', settings: { template: '{timestamp}.{body}' } },
      { name: 'x', provider: 'stripe', dedupJsonPath: 'items[x' },
      { name: 'x', provider: 'stripe', dedupHeader: 'bad header' },
    ];
    for (const body of cases) {
      const answer = await post(body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error.code).toBe('invalid_input');
      expect(typeof answer.body.error.message).toBe('string');
    }
    const settings = await post({ name: 'x', provider: 'stripe', settings: { unknownSetting: true } });
    expect(settings.body.error.details[0].path).toBe('settings');
    const hmac = await post({ name: 'x', provider: 'hmac', settings: { template: '{timestamp}.{body}' } });
    expect(hmac.body.error.details[0].path).toBe('settings.timestampHeader');

    expect(await post('{"name":')).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
  });

  it('reads one source and answers 404 for unknown or malformed ids', async () => {
    const created = await post({ name: 'Readable', provider: 'shopify' });
    const read = await call(getSource, { key: viewer, id: created.body.id });
    expect(read).toMatchObject({ status: 200, body: { id: created.body.id, slug: 'readable', secrets: [] } });
    expect(await call(getSource, { key: viewer, id: 'not-a-uuid' })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await call(getSource, { key: viewer, id: '0190f3a1-0000-7000-8000-000000000000' })).status).toBe(404);
    expect((await call(patchSource, { key: admin, id: 'nope', method: 'PATCH', body: { name: 'x' } })).status).toBe(404);
    expect((await call(deleteSource, { key: admin, id: 'nope', method: 'DELETE' })).status).toBe(404);
  });

  it('changes a source, audits before/after, and resets settings when the provider changes', async () => {
    const created = await post({ name: 'Changeable', provider: 'stripe', settings: { toleranceSeconds: 600 } });
    const id = created.body.id;
    await post({ name: 'Taken', slug: 'taken', provider: 'stripe' });

    const changed = await call(patchSource, { key: admin, id, method: 'PATCH', body: { name: 'Changed', ipAllowlist: ['10.0.0.0/8'] } });
    expect(changed).toMatchObject({ status: 200, body: { name: 'Changed', ipAllowlist: ['10.0.0.0/8'], settings: { toleranceSeconds: 600 } } });

    const audit = await db().auditLog.findFirst({ where: { targetId: id, action: 'source.update' } });
    expect(audit).toMatchObject({ actorType: 'api_key', targetType: 'source' });
    expect(audit?.actorLabel).toContain('admin');
    expect(audit?.before).toMatchObject({ name: 'Changeable', ipAllowlist: [] });
    expect(audit?.after).toMatchObject({ name: 'Changed', ipAllowlist: ['10.0.0.0/8'] });

    const provider = await call(patchSource, { key: admin, id, method: 'PATCH', body: { provider: 'github' } });
    expect(provider.body).toMatchObject({ provider: 'github', settings: { allowSha1: false } });
    expect(provider.body.settings.toleranceSeconds).toBeUndefined();

    expect((await call(patchSource, { key: admin, id, method: 'PATCH', body: { slug: 'taken' } })).status).toBe(409);
    expect((await call(patchSource, { key: admin, id, method: 'PATCH', body: {} })).status).toBe(422);
    expect((await call(patchSource, { key: admin, id, method: 'PATCH', body: { settings: { allowSha1: 'yes' } } })).status).toBe(422);
    expect((await call(patchSource, { key: admin, id, method: 'PATCH', body: { createdAt: 'now' } })).status).toBe(422);
  });

  it('disables on DELETE without deleting data, and re-enables with PATCH status', async () => {
    const created = await post({ name: 'Disposable', provider: 'none' });
    const id = created.body.id;
    expect(created.body.verifies).toBe(false);

    const disabled = await call(deleteSource, { key: admin, id, method: 'DELETE' });
    expect(disabled).toMatchObject({ status: 200, body: { id, status: 'disabled' } });
    expect(disabled.body.disabledAt).toBeTruthy();
    expect(await db().source.findUnique({ where: { id } })).toMatchObject({ status: 'disabled' });
    expect(await db().auditLog.count({ where: { targetId: id, action: 'source.disable' } })).toBe(1);

    // A second DELETE changes nothing and writes no second entry.
    expect((await call(deleteSource, { key: admin, id, method: 'DELETE' })).status).toBe(200);
    expect(await db().auditLog.count({ where: { targetId: id, action: 'source.disable' } })).toBe(1);

    const enabled = await call(patchSource, { key: admin, id, method: 'PATCH', body: { status: 'active' } });
    expect(enabled.body).toMatchObject({ status: 'active', disabledAt: null });
    expect(await db().auditLog.count({ where: { targetId: id, action: 'source.enable' } })).toBe(1);
    expect(await db().auditLog.count({ where: { targetId: id, action: 'source.create' } })).toBe(1);
  });
});
