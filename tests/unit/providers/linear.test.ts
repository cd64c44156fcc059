import { createHmac } from 'node:crypto';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { describe, expect, it } from 'vitest';
import { linear } from '@/lib/providers/linear';
import { FAIL, OK, makeRequest, parsed, secrets, verify, withChanges } from './helpers';

const SECRET = 'lin_wh_3c1f0a4c9b8e7d6f5a4b3c2d1e0f9a8b';
const OTHER = 'lin_wh_00000000000000000000000000000000';
const lib = new LinearWebhookClient(SECRET);

function body(webhookTimestamp: number, title = 'Forward webhooks') {
  return JSON.stringify({
    action: 'create',
    type: 'Issue',
    createdAt: new Date(webhookTimestamp).toISOString(),
    data: { id: '2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9', identifier: 'HOOK-1', title },
    url: 'https://linear.app/hookyard/issue/HOOK-1',
    organizationId: 'a1b2',
    webhookTimestamp,
    webhookId: '000042e3-d123-4980-b49f-8e140eef9329',
  });
}

/** Signed per Linear's docs with node:crypto (the SDK only verifies). */
function signed(payload: string, secret = SECRET, receivedAt = new Date()) {
  return makeRequest({
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'linear-signature': createHmac('sha256', secret).update(payload).digest('hex'),
      'linear-delivery': '234d1a4e-b617-4388-90fe-adc3633d6b72',
      'linear-event': 'Issue',
    },
    body: payload,
    receivedAt,
  });
}

describe('linear preset', () => {
  it('accepts a request the Linear SDK accepts', () => {
    const payload = body(Date.now());
    const request = signed(payload);
    expect(lib.verify(request.rawBody, request.headers['linear-signature']!)).toBe(true);
    expect(verify(linear, request, secrets(SECRET))).toEqual(OK('first'));
  });

  it('rejects a tampered body, a wrong secret and a missing header (the SDK agrees on the body)', () => {
    const payload = body(Date.now());
    const request = signed(payload);
    const tampered = Buffer.from(body(JSON.parse(payload).webhookTimestamp, 'Something else'));
    expect(() => lib.verify(tampered, request.headers['linear-signature']!)).toThrow(/signature/);
    expect(verify(linear, withChanges(request, { rawBody: tampered }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(linear, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(linear, withChanges(request, { dropHeaders: ['linear-signature'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
  });

  it('requires webhookTimestamp within 60 s either way, like the SDK', () => {
    const now = Date.now();
    for (const offset of [-61_000, 61_000]) {
      const request = signed(body(now + offset));
      expect(() => lib.verify(request.rawBody, request.headers['linear-signature']!)).toThrow(/timestamp/);
      expect(verify(linear, { ...request, receivedAt: new Date(now) }, secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
    }
    const inside = signed(body(now - 50_000));
    expect(verify(linear, { ...inside, receivedAt: new Date(now) }, secrets(SECRET))).toEqual(OK('first'));
    expect(verify(linear, { ...inside, receivedAt: new Date(now) }, secrets(SECRET), { toleranceSeconds: 30 })).toEqual(FAIL('stale_timestamp'));
    // a correctly signed body without webhookTimestamp is refused, as the SDK refuses it
    const noTs = signed(JSON.stringify({ action: 'create', type: 'Issue' }));
    expect(() => lib.verify(noTs.rawBody, noTs.headers['linear-signature']!)).toThrow();
    expect(verify(linear, noTs, secrets(SECRET))).toEqual(FAIL('malformed_header'));
  });

  it('matches the second of two secrets', () => {
    expect(verify(linear, signed(body(Date.now())), secrets(OTHER, SECRET))).toEqual(OK('second'));
  });

  it('dedups on Linear-Delivery and types as type.action', () => {
    const request = signed(body(Date.now()));
    expect(linear.dedupKey(request, parsed(request))).toBe('234d1a4e-b617-4388-90fe-adc3633d6b72');
    expect(linear.eventType(request, parsed(request))).toBe('Issue.create');
  });

  it('produces a sample that the SDK and the preset accept', () => {
    const now = new Date();
    const sample = linear.sampleRequest(SECRET, 'https://h.example.com/x', now, linear.settingsSchema.parse({}))!;
    const raw = Buffer.from(sample.body);
    expect(lib.parseData(raw, sample.headers['linear-signature']!)).toMatchObject({ type: 'Issue', action: 'create' });
    expect(verify(linear, makeRequest({ headers: sample.headers, body: sample.body, receivedAt: now }), secrets(SECRET))).toEqual(OK('first'));
  });
});
