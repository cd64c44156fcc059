import { createHmac } from 'node:crypto';
import { WebhooksHelper } from 'square';
import { describe, expect, it } from 'vitest';
import { square } from '@/lib/providers/square';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

// Example values from Square's webhook validation docs / SDK tests.
const KEY = 'Ibxx_5AKakO-3qeNVR61Dw';
const OTHER = 'asdf1234';
const URL_ = 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9';
const BODY =
  '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}';
const SIGNATURE = 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=';

function request(signature = SIGNATURE, body = BODY, url = URL_) {
  return makeRequest({ url, headers: { 'content-type': 'application/json', 'x-square-hmacsha256-signature': signature }, body });
}
const libraryAccepts = (signatureHeader: string, requestBody: string, notificationUrl = URL_, signatureKey = KEY) =>
  WebhooksHelper.verifySignature({ requestBody, signatureHeader, signatureKey, notificationUrl });

describe('square preset', () => {
  it("verifies Square's example (notification URL + body, HMAC-SHA256 base64), as WebhooksHelper does", async () => {
    expect(await libraryAccepts(SIGNATURE, BODY)).toBe(true);
    expect(verify(square, request(), secrets(KEY))).toEqual(OK('first'));
    // the docs' second example
    const docs = makeRequest({
      url: 'https://example.com/webhook',
      headers: { 'x-square-hmacsha256-signature': '2kRE5qRU2tR+tBGlDwMEw2avJ7QM4ikPYD/PJ3bd9Og=' },
      body: '{"hello":"world"}',
    });
    expect(verify(square, docs, secrets('asdf1234'))).toEqual(OK('first'));
  });

  it('accepts a request signed with node:crypto per the docs that WebhooksHelper also accepts', async () => {
    const body = JSON.stringify({ merchant_id: 'M1', type: 'payment.updated', event_id: 'e7d5f1e0-1', data: { id: 'p1' } });
    const sig = createHmac('sha256', KEY)
      .update(URL_ + body)
      .digest('base64');
    expect(await libraryAccepts(sig, body)).toBe(true);
    expect(verify(square, request(sig, body), secrets(KEY))).toEqual(OK('first'));
  });

  it('rejects a tampered body, another URL, a wrong key and a missing header', async () => {
    expect(await libraryAccepts(SIGNATURE, tamper(BODY))).toBe(false);
    expect(verify(square, request(SIGNATURE, tamper(BODY)), secrets(KEY))).toEqual(FAIL('bad_signature'));
    expect(await libraryAccepts(SIGNATURE, BODY, 'https://webhook.site/other')).toBe(false);
    expect(verify(square, request(SIGNATURE, BODY, 'https://webhook.site/other'), secrets(KEY))).toEqual(FAIL('bad_signature'));
    expect(verify(square, request(), secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(square, withChanges(request(), { dropHeaders: ['x-square-hmacsha256-signature'] }), secrets(KEY))).toEqual(FAIL('missing_header'));
  });

  it('uses the configured notification URL when the derived one differs', () => {
    const behindProxy = request(SIGNATURE, BODY, 'http://127.0.0.1:3000/api/ingest/square');
    expect(verify(square, behindProxy, secrets(KEY))).toEqual(FAIL('bad_signature'));
    expect(verify(square, behindProxy, secrets(KEY), { notificationUrl: URL_ })).toEqual(OK('first'));
  });

  it('matches the second of two keys', () => {
    expect(verify(square, request(), secrets(OTHER, KEY))).toEqual(OK('second'));
  });

  it('dedups on event_id and types by type', () => {
    const r = request();
    expect(square.dedupKey(r, parsed(r))).toBe('ac3ac95b-f97d-458c-a6e6-18981597e05f');
    expect(square.eventType(r, parsed(r))).toBe('webhooks.test_notification');
  });

  it('produces a sample for the given URL that WebhooksHelper and the preset accept', async () => {
    const url = 'https://hooks.example.com/api/ingest/square';
    const sample = square.sampleRequest(KEY, url, new Date(), square.settingsSchema.parse({}))!;
    expect(await libraryAccepts(sample.headers['x-square-hmacsha256-signature']!, sample.body, url)).toBe(true);
    const r = makeRequest({ url, headers: sample.headers, body: sample.body });
    expect(verify(square, r, secrets(KEY))).toEqual(OK('first'));
    expect(square.eventType(r, parsed(r))).toBe('payment.updated');
  });
});
