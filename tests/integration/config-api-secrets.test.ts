import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as createDestination } from '@/app/api/v1/destinations/route';
import { DELETE as revokeSecret } from '@/app/api/v1/secrets/[id]/route';
import { POST as revealSecret } from '@/app/api/v1/secrets/[id]/reveal/route';
import { GET as getSource } from '@/app/api/v1/sources/[id]/route';
import { POST as addSecret } from '@/app/api/v1/sources/[id]/secrets/route';
import { POST as rotateSecret } from '@/app/api/v1/sources/[id]/secrets/rotate/route';
import { POST as createSource } from '@/app/api/v1/sources/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { db } from '@/lib/db/prisma';
import { decryptSecret } from '@/lib/secrets/encryption';
import { loadVerificationSecrets } from '@/lib/secrets/verification-secrets';

process.env.HOOKYARD_MASTER_KEY ??= randomBytes(32).toString('base64');
process.env.AUTH_SECRET ??= randomBytes(32).toString('base64');

type Handler = (request: Request, segment?: { params: Promise<any> }) => Promise<Response>;

/** Every answer except reveals, to check that no secret value ever appears in one. */
const ordinaryAnswers: string[] = [];

async function call(handler: Handler, options: { key?: string | null; method?: string; body?: unknown; id?: string; valueExpected?: boolean } = {}) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (options.key) headers.set('authorization', `Bearer ${options.key}`);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const request = new Request('http://localhost/api/v1/x', { method: options.method ?? 'POST', headers, body });
  const response = await handler(request, options.id === undefined ? undefined : { params: Promise.resolve({ id: options.id }) });
  const text = await response.text();
  if (!options.valueExpected) ordinaryAnswers.push(text);
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

async function newSource(provider: string, name = `${provider} ${randomBytes(3).toString('hex')}`): Promise<string> {
  const created = await call(createSource, { key: admin, body: { name, provider } });
  expect(created.status).toBe(201);
  return created.body.id;
}

const seconds = (date: string | Date | null | undefined) => (date ? new Date(date).getTime() / 1000 : Number.NaN);

/** Asserts that no value ever reached an audit row or an ordinary answer. */
async function expectValuesNowhere(values: string[]) {
  const audit = JSON.stringify(await db().auditLog.findMany());
  for (const value of values) {
    expect(audit).not.toContain(value);
    for (const answer of ordinaryAnswers) expect(answer).not.toContain(value);
  }
}

describe('source secrets', () => {
  it('adds secrets (generated in the provider format, or given), returning the value once', async () => {
    const stripe = await newSource('stripe');
    const generated = await call(addSecret, { key: admin, id: stripe, body: {}, valueExpected: true });
    expect(generated.status).toBe(201);
    expect(generated.body).toMatchObject({ id: expect.any(String), status: 'active', label: null, expiresAt: null });
    expect(generated.body.value).toMatch(/^[0-9a-f]{64}$/);
    expect(generated.body.hint).toBe(`••••••••${generated.body.value.slice(-4)}`);

    const standard = await newSource('standard-webhooks');
    const whsec = await call(addSecret, { key: admin, id: standard, body: { label: 'primary' }, valueExpected: true });
    expect(whsec.body.value).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(whsec.body.value.slice(6), 'base64')).toHaveLength(24);
    expect(whsec.body).toMatchObject({ label: 'primary', hint: expect.stringMatching(/^whsec_••••••••/) });

    const svix = await newSource('svix');
    expect((await call(addSecret, { key: admin, id: svix, body: {}, valueExpected: true })).body.value).toMatch(/^whsec_/);
    const basic = await newSource('basic');
    expect((await call(addSecret, { key: admin, id: basic, body: {}, valueExpected: true })).body.value).toMatch(/^hookyard:[0-9a-f]{48}$/);

    const given = await call(addSecret, {
      key: admin,
      id: stripe,
      body: { value: '  whsec_given_by_stripe_123456\n', label: 'from Stripe' },
      valueExpected: true,
    });
    expect(given.body).toMatchObject({ value: 'whsec_given_by_stripe_123456', hint: 'whsec_••••••••3456' });

    // Reads show metadata only, newest first.
    const read = await call(getSource, { key: viewer, id: stripe, method: 'GET' });
    expect(read.body.secrets.map((secret: { id: string }) => secret.id)).toEqual([given.body.id, generated.body.id]);
    expect(read.body.secrets[0]).toEqual({
      id: given.body.id,
      label: 'from Stripe',
      hint: 'whsec_••••••••3456',
      status: 'active',
      createdAt: expect.any(String),
      expiresAt: null,
      revokedAt: null,
      lastMatchedAt: null,
    });

    // Encrypted at rest under the master key, with the row id as AAD.
    const row = await db().secret.findUniqueOrThrow({ where: { id: given.body.id }, select: { ciphertext: true } });
    expect(Buffer.from(row.ciphertext).toString('latin1')).not.toContain('whsec_given_by_stripe_123456');
    expect(decryptSecret(given.body.id, row.ciphertext)).toBe('whsec_given_by_stripe_123456');
    expect(() => decryptSecret(generated.body.id, row.ciphertext)).toThrow(/cannot be decrypted/);

    const audit = await db().auditLog.findFirst({ where: { action: 'secret.create', targetId: given.body.id } });
    expect(audit?.after).toMatchObject({ sourceId: stripe, hint: 'whsec_••••••••3456', generated: false });

    await expectValuesNowhere([generated.body.value, whsec.body.value, given.body.value]);
  });

  it('checks roles, validates input and refuses secrets for the none provider', async () => {
    const source = await newSource('github');
    expect((await call(addSecret, { key: null, id: source, body: {} })).status).toBe(401);
    expect((await call(addSecret, { key: viewer, id: source, body: {} })).status).toBe(403);
    expect((await call(addSecret, { key: support, id: source, body: {} })).status).toBe(403);
    expect((await call(rotateSecret, { key: support, id: source, body: {} })).status).toBe(403);

    const unknownField = await call(addSecret, { key: admin, id: source, body: { value: 'abc', expires: 'never' } });
    expect(unknownField).toMatchObject({ status: 422, body: { error: { code: 'invalid_input' } } });
    const tooLong = 'S3cr3t'.repeat(1000);
    const long = await call(addSecret, { key: admin, id: source, body: { value: tooLong } });
    expect(long.status).toBe(422);
    expect(long.text).not.toContain('S3cr3tS3cr3t');
    expect((await call(addSecret, { key: admin, id: source, body: { value: '   ' } })).status).toBe(422);

    expect((await call(addSecret, { key: admin, id: 'not-a-uuid', body: {} })).status).toBe(404);
    expect((await call(addSecret, { key: admin, id: '0190f3a1-0000-7000-8000-000000000000', body: {} })).status).toBe(404);
    expect((await call(rotateSecret, { key: admin, id: 'not-a-uuid', body: {} })).status).toBe(404);

    const none = await newSource('none');
    expect(await call(addSecret, { key: admin, id: none, body: {} })).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });

  it('rotates with a grace period, keeping earlier expiries, and reports recently expired secrets', async () => {
    const source = await newSource('stripe');
    const first = await call(addSecret, { key: admin, id: source, body: { value: 'whsec_first_secret_value' }, valueExpected: true });
    const second = await call(addSecret, { key: admin, id: source, body: { value: 'whsec_second_secret_value' }, valueExpected: true });
    // The second one already ends in an hour: a rotation must not extend it.
    const inAnHour = new Date(Date.now() + 3_600_000);
    await db().secret.update({ where: { id: second.body.id }, data: { expiresAt: inAnHour } });

    const before = Date.now() / 1000;
    const rotated = await call(rotateSecret, { key: admin, id: source, body: { label: 'rotated' }, valueExpected: true });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ label: 'rotated', status: 'active', expiresAt: null });
    expect(rotated.body.value).toMatch(/^[0-9a-f]{64}$/);
    const expiring = new Map(rotated.body.expiring.map((secret: { id: string; expiresAt: string }) => [secret.id, secret.expiresAt]));
    expect(seconds(expiring.get(first.body.id) as string)).toBeCloseTo(before + 86_400, -1);
    expect(seconds(expiring.get(second.body.id) as string)).toBeCloseTo(inAnHour.getTime() / 1000, 0);

    const read = await call(getSource, { key: viewer, id: source, method: 'GET' });
    const byId = new Map(read.body.secrets.map((secret: { id: string; status: string }) => [secret.id, secret.status]));
    expect(byId.get(first.body.id)).toBe('expiring');
    expect(byId.get(rotated.body.id)).toBe('active');

    // During the grace period every secret verifies, the newest first.
    const during = await loadVerificationSecrets(source);
    expect(during.active.map((secret) => secret.value)).toEqual([rotated.body.value, 'whsec_second_secret_value', 'whsec_first_secret_value']);
    expect(during.recentlyExpired).toEqual([]);
    // The secrets in their grace period expire: a cached copy must know when.
    expect(during.expiries.get(second.body.id)).toBe(inAnHour.getTime());
    expect([...during.expiries.keys()].sort()).toEqual([first.body.id, second.body.id].sort());

    const audit = await db().auditLog.findFirst({ where: { action: 'secret.rotate', targetId: source } });
    expect(audit).toMatchObject({ targetType: 'source' });
    expect((audit?.before as any).secrets).toHaveLength(2);
    expect((audit?.after as any).graceSeconds).toBe(86_400);

    // graceSeconds 0 ends the others at once; they are then "recently expired".
    const immediate = await call(rotateSecret, { key: admin, id: source, body: { value: 'whsec_third_secret_value', graceSeconds: 0 }, valueExpected: true });
    expect(immediate.status).toBe(201);
    const after = await loadVerificationSecrets(source, new Date(Date.now() + 10));
    expect(after.active.map((secret) => secret.value)).toEqual(['whsec_third_secret_value']);
    expect(after.recentlyExpired.map((secret) => secret.value).sort()).toEqual(
      [rotated.body.value, 'whsec_first_secret_value', 'whsec_second_secret_value'].sort(),
    );
    // A week later they are no longer tried at all.
    const later = await loadVerificationSecrets(source, new Date(Date.now() + 8 * 86_400_000));
    expect(later).toEqual({ active: [{ id: immediate.body.id, value: 'whsec_third_secret_value' }], recentlyExpired: [], expiries: new Map() });

    expect((await call(rotateSecret, { key: admin, id: source, body: { graceSeconds: 31 * 86_400 } })).status).toBe(422);
    expect((await call(rotateSecret, { key: admin, id: source, body: { graceSeconds: -1 } })).status).toBe(422);
    expect((await call(rotateSecret, { key: admin, id: source, body: { graceSeconds: 1.5 } })).status).toBe(422);

    await expectValuesNowhere([rotated.body.value, 'whsec_first_secret_value', 'whsec_second_secret_value', 'whsec_third_secret_value']);
  });
});

describe('reveal and revoke', () => {
  it('reveals a value to ADMIN only, and audits every reveal', async () => {
    const source = await newSource('shopify');
    const secret = await call(addSecret, { key: admin, id: source, body: { value: 'shpss_reveal_me_please' }, valueExpected: true });
    const id = secret.body.id;

    expect((await call(revealSecret, { key: null, id })).status).toBe(401);
    expect(await call(revealSecret, { key: support, id })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await call(revealSecret, { key: viewer, id })).status).toBe(403);
    expect(await db().auditLog.count({ where: { action: 'secret.reveal' } })).toBe(0);

    const revealed = await call(revealSecret, { key: admin, id, valueExpected: true });
    expect(revealed).toMatchObject({ status: 200, body: { id, value: 'shpss_reveal_me_please' } });
    const audit = await db().auditLog.findFirst({ where: { action: 'secret.reveal', targetId: id } });
    expect(audit).toMatchObject({ actorType: 'api_key', targetType: 'secret' });
    expect(audit?.after).toMatchObject({ sourceId: source, hint: 'shpss_••••••••ease' });

    expect((await call(revealSecret, { key: admin, id: 'not-a-uuid' })).status).toBe(404);

    // Destination signing secrets are revealed the same way.
    const destination = await call(createDestination, { key: admin, body: { name: 'Agent', url: 'http://127.0.0.1:9/hooks' }, valueExpected: true });
    const signing = destination.body.secrets[0].id;
    const revealedSigning = await call(revealSecret, { key: admin, id: signing, valueExpected: true });
    expect(revealedSigning.body.value).toBe(destination.body.signingSecret);

    await expectValuesNowhere(['shpss_reveal_me_please', destination.body.signingSecret]);
  });

  it('revokes a secret: it stops verifying at once, and the revoke is audited', async () => {
    const source = await newSource('gitlab');
    const keep = await call(addSecret, { key: admin, id: source, body: { value: 'gitlab-token-keep' }, valueExpected: true });
    const drop = await call(addSecret, { key: admin, id: source, body: { value: 'gitlab-token-drop' }, valueExpected: true });

    expect((await call(revokeSecret, { key: support, id: drop.body.id, method: 'DELETE' })).status).toBe(403);
    const revoked = await call(revokeSecret, { key: admin, id: drop.body.id, method: 'DELETE' });
    expect(revoked).toMatchObject({ status: 200, body: { id: drop.body.id, status: 'revoked' } });
    expect(revoked.body.revokedAt).toBeTruthy();

    const secrets = await loadVerificationSecrets(source);
    expect(secrets.active.map((secret) => secret.id)).toEqual([keep.body.id]);
    expect(secrets.recentlyExpired.map((secret) => secret.id)).toEqual([drop.body.id]);

    const audit = await db().auditLog.findFirst({ where: { action: 'secret.revoke', targetId: drop.body.id } });
    expect(audit?.before).toMatchObject({ status: 'active', revokedAt: null, sourceId: source });
    expect(audit?.after).toMatchObject({ status: 'revoked', sourceId: source });

    // Revoking again is harmless; unknown ids are 404.
    expect((await call(revokeSecret, { key: admin, id: drop.body.id, method: 'DELETE' })).status).toBe(200);
    expect(await db().auditLog.count({ where: { action: 'secret.revoke', targetId: drop.body.id } })).toBe(1);
    expect((await call(revokeSecret, { key: admin, id: 'nope', method: 'DELETE' })).status).toBe(404);

    await expectValuesNowhere(['gitlab-token-keep', 'gitlab-token-drop']);
  });
});
