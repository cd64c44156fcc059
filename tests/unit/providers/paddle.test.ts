import { createHmac } from 'node:crypto';
import { Paddle } from '@paddle/paddle-node-sdk';
import { describe, expect, it } from 'vitest';
import { paddle } from '@/lib/providers/paddle';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

const SECRET = 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI';
const OTHER = 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_000000000000000000000000000000';
const paddleLib = new Paddle('pdl_sdbx_apikey_hookyard_unit_test');
const payload = JSON.stringify({
  event_id: 'evt_01h8bzakzx3hm2fmen703n5q45',
  event_type: 'transaction.completed',
  occurred_at: '2026-11-27T12:00:00.000000Z',
  notification_id: 'ntf_01h8bzam1z32agrxjwhjgqk8w6',
  data: { id: 'txn_01h8bz', status: 'completed' },
});

/** Signed per Paddle's docs with node:crypto (the SDK only verifies). */
function h1(ts: number, body = payload, secret = SECRET) {
  return createHmac('sha256', secret).update(`${ts}:${body}`).digest('hex');
}
function signed(ts: number, body = payload, secret = SECRET, receivedAt = new Date(ts * 1000)) {
  return makeRequest({ headers: { 'content-type': 'application/json', 'paddle-signature': `ts=${ts};h1=${h1(ts, body, secret)}` }, body, receivedAt });
}
const nowS = () => Math.floor(Date.now() / 1000);

describe('paddle preset', () => {
  it('accepts a request the Paddle SDK accepts', async () => {
    const request = signed(nowS(), payload, SECRET, new Date());
    expect(await paddleLib.webhooks.isSignatureValid(payload, SECRET, request.headers['paddle-signature']!)).toBe(true);
    expect(verify(paddle, request, secrets(SECRET))).toEqual(OK('first'));
  });

  it('rejects a tampered body, a wrong secret, a missing or malformed header (the SDK agrees)', async () => {
    const request = signed(nowS(), payload, SECRET, new Date());
    expect(await paddleLib.webhooks.isSignatureValid(tamper(payload), SECRET, request.headers['paddle-signature']!)).toBe(false);
    expect(verify(paddle, withChanges(request, { rawBody: Buffer.from(tamper(payload)) }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(paddle, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(paddle, withChanges(request, { dropHeaders: ['paddle-signature'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    expect(verify(paddle, withChanges(request, { setHeaders: { 'paddle-signature': 'h1=abcd' } }), secrets(SECRET))).toEqual(FAIL('malformed_header'));
  });

  it('rejects a ts older than the SDK default of 5 s; a larger tolerance can be configured', async () => {
    const ts = nowS() - 30;
    const request = signed(ts, payload, SECRET, new Date());
    expect(await paddleLib.webhooks.isSignatureValid(payload, SECRET, request.headers['paddle-signature']!)).toBe(false);
    expect(verify(paddle, request, secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
    expect(verify(paddle, request, secrets(SECRET), { toleranceSeconds: 60 })).toEqual(OK('first'));
    // one-sided, like the SDK: a ts ahead of our clock is not stale
    expect(verify(paddle, signed(1_800_000_000, payload, SECRET, new Date(1_799_999_000_000)), secrets(SECRET))).toEqual(OK('first'));
  });

  it('matches the second of two secrets, and any h1 of several (secret rotation)', async () => {
    const ts = 1_800_000_000;
    expect(verify(paddle, signed(ts), secrets(OTHER, SECRET))).toEqual(OK('second'));
    const now = nowS();
    const header = `ts=${now};h1=${h1(now, payload, OTHER)};h1=${h1(now)}`;
    const request = makeRequest({ headers: { 'paddle-signature': header }, body: payload });
    expect(await paddleLib.webhooks.isSignatureValid(payload, SECRET, header)).toBe(true);
    expect(verify(paddle, request, secrets(SECRET))).toEqual(OK('first'));
    expect(verify(paddle, request, secrets(OTHER))).toEqual(OK('first'));
  });

  it('dedups on event_id and types by event_type', () => {
    const request = signed(1_800_000_000);
    expect(paddle.dedupKey(request, parsed(request))).toBe('evt_01h8bzakzx3hm2fmen703n5q45');
    expect(paddle.eventType(request, parsed(request))).toBe('transaction.completed');
  });

  it('produces a sample that the SDK and the preset accept', async () => {
    const now = new Date();
    const sample = paddle.sampleRequest(SECRET, 'https://h.example.com/x', now, paddle.settingsSchema.parse({}))!;
    expect(await paddleLib.webhooks.isSignatureValid(sample.body, SECRET, sample.headers['paddle-signature']!)).toBe(true);
    const event = await paddleLib.webhooks.unmarshal(sample.body, SECRET, sample.headers['paddle-signature']!);
    expect(event.eventType).toBe('transaction.completed');
    expect(verify(paddle, makeRequest({ headers: sample.headers, body: sample.body, receivedAt: now }), secrets(SECRET))).toEqual(OK('first'));
  });
});
