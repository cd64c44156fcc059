import { describe, expect, it } from 'vitest';
import { getProvider, providers } from '@/lib/providers';
import { PROVIDER_IDS, type ProviderId } from '@/lib/providers/types';
import { makeRequest, parsed } from './helpers';

const SAMPLE_SECRETS: Partial<Record<ProviderId, [string, string]>> = {
  'standard-webhooks': ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_dGhpcyBpcyBub3QgdGhlIHNlY3JldCBrZXk='],
  svix: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_dGhpcyBpcyBub3QgdGhlIHNlY3JldCBrZXk='],
  basic: ['user:password', 'user:other'],
};
const ASYMMETRIC: ProviderId[] = ['discord', 'sendgrid'];

describe('provider registry', () => {
  it('has exactly one preset per provider id, under its own id', () => {
    expect(Object.keys(providers).sort()).toEqual([...PROVIDER_IDS].sort());
    for (const id of PROVIDER_IDS) {
      expect(providers[id].id).toBe(id);
      expect(getProvider(id)).toBe(providers[id]);
      expect(providers[id].label.length).toBeGreaterThan(0);
    }
    expect(() => getProvider('nope')).toThrow(/unknown provider/);
  });

  it('every settings schema yields defaults from {}', () => {
    for (const id of PROVIDER_IDS) expect(() => providers[id].settingsSchema.parse({}), id).not.toThrow();
  });

  it('every symmetric preset signs a sample that it verifies with that secret and refuses with another', () => {
    const now = new Date();
    const url = 'https://hooks.example.com/api/ingest/sample';
    for (const id of PROVIDER_IDS) {
      const preset = providers[id];
      const settings = preset.settingsSchema.parse({});
      const [secret, other] = SAMPLE_SECRETS[id] ?? ['s3cret-value-for-tests', 'another-value'];
      const sample = preset.sampleRequest(secret, url, now, settings);
      if (ASYMMETRIC.includes(id)) {
        expect(sample, id).toBeNull();
        continue;
      }
      expect(sample, id).not.toBeNull();
      const request = makeRequest({ url, headers: sample!.headers, body: sample!.body, receivedAt: now });
      expect(preset.verify(request, [{ id: 'k1', value: secret }], settings), id).toEqual({ ok: true, secretId: id === 'none' ? null : 'k1' });
      if (id !== 'none') expect(preset.verify(request, [{ id: 'k2', value: other }], settings).ok, id).toBe(false);
      expect(preset.eventType(request, parsed(request), settings), id).toBeTruthy();
      // handshakes only answer handshakes
      expect(preset.handshake?.(request, parsed(request), { id: 'k1', value: secret }) ?? null, id).toBeNull();
    }
  });

  it('every preset with secrets reports unknown_secret when the source has none', () => {
    for (const id of PROVIDER_IDS) {
      const preset = providers[id];
      if (!preset.needsSecret) continue;
      const result = preset.verify(makeRequest({ body: '{}' }), [], preset.settingsSchema.parse({}));
      expect(result, id).toEqual({ ok: false, reason: 'unknown_secret', detail: expect.any(String) });
    }
  });
});
