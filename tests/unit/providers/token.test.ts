import { describe, expect, it } from 'vitest';
import { token, tokenSettingsSchema } from '@/lib/providers/token';
import { FAIL, OK, makeRequest, parsed, secrets, verify } from './helpers';

const TOKEN = 'tok_3f9a1c2b7d';
const body = '{"type":"build.finished","id":"b-1"}';
const req = (headers: Record<string, string>) => makeRequest({ headers: { 'content-type': 'application/json', ...headers }, body });

describe('token preset', () => {
  it('accepts the token in the default x-webhook-token header, and names the matching secret', () => {
    expect(verify(token, req({ 'x-webhook-token': TOKEN }), secrets(TOKEN))).toEqual(OK('first'));
    expect(verify(token, req({ 'x-webhook-token': TOKEN }), secrets('old-token', TOKEN))).toEqual(OK('second'));
  });

  it('rejects a wrong, truncated or extended token, and a missing header', () => {
    expect(verify(token, req({ 'x-webhook-token': 'tok_3f9a1c2b7e' }), secrets(TOKEN))).toEqual(FAIL('bad_signature'));
    expect(verify(token, req({ 'x-webhook-token': TOKEN.slice(0, -1) }), secrets(TOKEN))).toEqual(FAIL('bad_signature'));
    expect(verify(token, req({ 'x-webhook-token': `${TOKEN}0` }), secrets(TOKEN))).toEqual(FAIL('bad_signature'));
    expect(verify(token, req({ 'x-other': TOKEN }), secrets(TOKEN))).toEqual(FAIL('missing_header'));
    expect(verify(token, req({ 'x-webhook-token': TOKEN }), [])).toEqual(FAIL('unknown_secret'));
  });

  it('reads a configured header with a scheme prefix (Authorization: Bearer …)', () => {
    const settings = { header: 'Authorization', prefix: 'Bearer ' };
    expect(tokenSettingsSchema.parse(settings).header).toBe('authorization');
    expect(verify(token, req({ authorization: `Bearer ${TOKEN}` }), secrets(TOKEN), settings)).toEqual(OK('first'));
    expect(verify(token, req({ authorization: TOKEN }), secrets(TOKEN), settings)).toEqual(FAIL('malformed_header'));
    expect(verify(token, req({ authorization: 'Bearer nope' }), secrets(TOKEN), settings)).toEqual(FAIL('bad_signature'));
  });

  it('uses configured dedup/event-type locations, else Idempotency-Key and body type', () => {
    const r = req({ 'x-webhook-token': TOKEN, 'idempotency-key': 'idem-1', 'x-delivery': 'd-1' });
    expect(token.dedupKey(r, parsed(r), tokenSettingsSchema.parse({}))).toBe('idem-1');
    expect(token.dedupKey(r, parsed(r))).toBe('idem-1');
    expect(token.dedupKey(r, parsed(r), tokenSettingsSchema.parse({ dedupHeader: 'x-delivery' }))).toBe('d-1');
    expect(token.dedupKey(r, parsed(r), tokenSettingsSchema.parse({ dedupField: 'id' }))).toBe('b-1');
    expect(token.eventType(r, parsed(r))).toBe('build.finished');
  });

  it('produces a sample that verifies under the same settings', () => {
    for (const raw of [{}, { header: 'authorization', prefix: 'Bearer ' }]) {
      const settings = tokenSettingsSchema.parse(raw);
      const sample = token.sampleRequest(TOKEN, 'https://h.example.com/x', new Date(), settings)!;
      expect(token.verify(makeRequest({ headers: sample.headers, body: sample.body }), secrets(TOKEN), settings)).toEqual(OK('first'));
    }
  });
});
