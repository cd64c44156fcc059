/**
 * Zoom publishes no verifying library for Node, so requests are signed here with node:crypto
 * exactly as Zoom's docs and its webhook-sample app describe:
 *   message = `v0:${x-zm-request-timestamp}:${body}`, x-zm-signature = `v0=` + hex HMAC-SHA256(secret, message)
 *   url_validation answer = { plainToken, encryptedToken: hex HMAC-SHA256(secret, plainToken) }
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { zoom } from '@/lib/providers/zoom';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

const SECRET = 'Wj9ujDBXRjuYVmYpwbHQ0w';
const OTHER = 'AAAAAAAAAAAAAAAAAAAAAA';
const now = new Date('2026-11-27T12:00:00Z');
const nowS = Math.floor(now.getTime() / 1000);
const payload = JSON.stringify({
  event: 'meeting.started',
  event_ts: 1780000000123,
  payload: { account_id: 'AAAAAABBBB', object: { id: '1234567890', uuid: '4444AAAiAAAAAiAiAiiAii==', topic: 'My Meeting' } },
});

function sign(ts: string, body: string, secret = SECRET) {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}
function signed(opts: { ts?: number; body?: string; secret?: string } = {}) {
  const ts = String(opts.ts ?? nowS);
  const body = opts.body ?? payload;
  return makeRequest({
    headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': ts, 'x-zm-signature': sign(ts, body, opts.secret) },
    body,
    receivedAt: now,
  });
}

describe('zoom preset', () => {
  it('accepts a request signed as Zoom documents', () => {
    expect(verify(zoom, signed(), secrets(SECRET))).toEqual(OK('first'));
  });

  it('rejects a tampered body, a wrong secret, missing and malformed headers', () => {
    const request = signed();
    expect(verify(zoom, withChanges(request, { rawBody: Buffer.from(tamper(payload)) }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(zoom, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(zoom, withChanges(request, { dropHeaders: ['x-zm-signature'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    expect(verify(zoom, withChanges(request, { dropHeaders: ['x-zm-request-timestamp'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    const bare = request.headers['x-zm-signature']!.slice(3);
    expect(verify(zoom, withChanges(request, { setHeaders: { 'x-zm-signature': bare } }), secrets(SECRET))).toEqual(FAIL('malformed_header'));
    // the timestamp is part of the signed message
    expect(verify(zoom, withChanges(request, { setHeaders: { 'x-zm-request-timestamp': String(nowS + 1) } }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
  });

  it('rejects timestamps older than 5 minutes (configurable); a future one is not stale', () => {
    expect(verify(zoom, signed({ ts: nowS - 301 }), secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
    expect(verify(zoom, signed({ ts: nowS - 290 }), secrets(SECRET))).toEqual(OK('first'));
    expect(verify(zoom, signed({ ts: nowS - 290 }), secrets(SECRET), { toleranceSeconds: 60 })).toEqual(FAIL('stale_timestamp'));
    expect(verify(zoom, signed({ ts: nowS + 600 }), secrets(SECRET))).toEqual(OK('first'));
    // a millisecond timestamp is understood as such
    expect(verify(zoom, signed({ ts: now.getTime() - 10_000 }), secrets(SECRET))).toEqual(OK('first'));
    expect(verify(zoom, signed({ ts: now.getTime() - 400_000 }), secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
  });

  it('matches the second of two secrets', () => {
    expect(verify(zoom, signed(), secrets(OTHER, SECRET))).toEqual(OK('second'));
  });

  it('answers endpoint.url_validation with the HMAC of plainToken under the matched secret', () => {
    const body = JSON.stringify({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1654503849680, event: 'endpoint.url_validation' });
    const request = signed({ body });
    expect(verify(zoom, request, secrets(OTHER, SECRET))).toEqual(OK('second'));
    const response = zoom.handshake!(request, parsed(request), { id: 'second', value: SECRET });
    expect(response).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(response!.body)).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: createHmac('sha256', SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
    });
    expect(zoom.dedupKey(request, parsed(request))).toBeNull();
    const ordinary = signed();
    expect(zoom.handshake!(ordinary, parsed(ordinary), { id: 'first', value: SECRET })).toBeNull();
  });

  it('types by event and dedups on event, event_ts and object', () => {
    const request = signed();
    expect(zoom.eventType(request, parsed(request))).toBe('meeting.started');
    expect(zoom.dedupKey(request, parsed(request))).toBe('meeting.started:1780000000123:4444AAAiAAAAAiAiAiiAii==');
  });

  it('produces a sample that verifies (checked independently with node:crypto and with the preset)', () => {
    const sample = zoom.sampleRequest(SECRET, 'https://h.example.com/x', now, zoom.settingsSchema.parse({}))!;
    expect(sample.headers['x-zm-signature']).toBe(sign(sample.headers['x-zm-request-timestamp']!, sample.body));
    const request = makeRequest({ headers: sample.headers, body: sample.body, receivedAt: now });
    expect(verify(zoom, request, secrets(SECRET))).toEqual(OK('first'));
    expect(zoom.eventType(request, parsed(request))).toBe('meeting.started');
  });
});
