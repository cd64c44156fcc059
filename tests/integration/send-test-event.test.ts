/**
 * "Send test event" goes through the real ingest route over HTTP: a preset-signed sample with the
 * newest active secret is accepted (202), stored as verified against that secret, and audited.
 * Presets that cannot sign, and sources without a secret, say why instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/principal';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { AppError } from '@/lib/http/errors';
import { addSourceSecret } from '@/lib/secrets/manage-secrets';
import { sendTestEvent, testEventAvailability } from '@/lib/sources/send-test-event';
import { createTestSource } from '../support/fixtures';
import { type RunningIngestServer, startIngestServer } from '../support/ingest-server';

const admin: Principal = { kind: 'api_key', id: newId(), label: 'api key test', role: 'ADMIN' };
let server: RunningIngestServer;

beforeAll(async () => {
  server = await startIngestServer('lean server');
});

afterAll(async () => {
  await server.close();
  await closeSql();
  await db().$disconnect();
});

describe('sendTestEvent', () => {
  it('signs a Stripe sample with the newest active secret and the ingest route accepts it', async () => {
    const { source, secrets } = await createTestSource({ provider: 'stripe', secrets: [{ value: 'whsec_older_secret_value_1234' }] });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newer = await addSourceSecret(source.id, { value: 'whsec_newer_secret_value_5678' }, admin);

    const result = await sendTestEvent(source.id, admin, '127.0.0.1', { baseUrl: server.url });
    expect(result).toMatchObject({ status: 202, duplicate: false, eventType: 'payment_intent.succeeded', url: server.ingestUrl(source.slug) });
    expect(result.eventId).toMatch(/^[0-9a-f-]{36}$/);
    const event = await db().event.findUniqueOrThrow({ where: { id: result.eventId! } });
    expect(event).toMatchObject({ sourceId: source.id, verification: 'verified', matchedSecretId: newer.id, eventType: 'payment_intent.succeeded' });
    expect(secrets[0]!.id).not.toBe(newer.id);

    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'source.test_event', targetId: source.id } });
    expect(audit.after).toMatchObject({ status: 202, eventId: result.eventId, secretId: newer.id });
    expect(JSON.stringify(audit)).not.toContain('whsec_newer_secret_value_5678');
  });

  it('sends a second test event that is not taken for a duplicate', async () => {
    const { source } = await createTestSource({ provider: 'github', secrets: [{ value: 'github-secret' }] });
    const first = await sendTestEvent(source.id, admin, null, { baseUrl: server.url });
    const second = await sendTestEvent(source.id, admin, null, { baseUrl: server.url });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.eventId).not.toBe(first.eventId);
  });

  it('reports what the ingest route answered when it refuses the request', async () => {
    const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: 'whsec_abc' }], data: { ipAllowlist: ['203.0.113.0/24'] } });
    const result = await sendTestEvent(source.id, admin, null, { baseUrl: server.url });
    expect(result).toMatchObject({ status: 403, eventId: null });
    expect(result.message).toMatch(/allowlist/);
  });

  it('says why when it cannot send: no secret, a preset that cannot sign, a disabled source', async () => {
    const bare = (await createTestSource({ provider: 'stripe' })).source;
    await expect(sendTestEvent(bare.id, admin, null, { baseUrl: server.url })).rejects.toMatchObject({ code: 'conflict' });
    const discord = (await createTestSource({ provider: 'discord', secrets: [{ value: 'ab'.repeat(32) }] })).source;
    const refusal = await sendTestEvent(discord.id, admin, null, { baseUrl: server.url }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).message).toMatch(/private key/);
    const disabled = (await createTestSource({ provider: 'none', data: { status: 'disabled' } })).source;
    await expect(sendTestEvent(disabled.id, admin, null, { baseUrl: server.url })).rejects.toMatchObject({ code: 'conflict' });
    await expect(sendTestEvent('not-a-uuid', admin, null)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('needs no secret for the unverified scheme', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    expect((await sendTestEvent(source.id, admin, null, { baseUrl: server.url })).status).toBe(202);
  });
});

describe('testEventAvailability', () => {
  const active = [{ status: 'active' }];
  it('explains each reason the button is unavailable', () => {
    expect(testEventAvailability({ provider: 'stripe', status: 'active', settings: {}, secrets: active })).toEqual({ available: true });
    expect(testEventAvailability({ provider: 'stripe', status: 'active', settings: {}, secrets: [{ status: 'expired' }] })).toMatchObject({
      available: false,
      reason: expect.stringMatching(/Add a secret/),
    });
    expect(testEventAvailability({ provider: 'discord', status: 'active', settings: {}, secrets: active })).toMatchObject({
      available: false,
      reason: expect.stringMatching(/Discord/),
    });
    expect(testEventAvailability({ provider: 'sendgrid', status: 'active', settings: {}, secrets: active })).toMatchObject({
      available: false,
      reason: expect.stringMatching(/SendGrid/),
    });
    expect(testEventAvailability({ provider: 'stripe', status: 'disabled', settings: {}, secrets: active })).toMatchObject({
      available: false,
      reason: expect.stringMatching(/disabled/),
    });
    expect(testEventAvailability({ provider: 'none', status: 'active', settings: {}, secrets: [] })).toEqual({ available: true });
  });
});
