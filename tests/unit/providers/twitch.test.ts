/**
 * Twitch publishes no verifying library for Node; requests are signed here with node:crypto as the
 * EventSub docs' own sample does: HMAC-SHA256(secret, message_id + timestamp + raw body), sent as
 * `sha256=<hex>`. https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { twitch } from '@/lib/providers/twitch';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

const SECRET = 's3cre7-h00kyard-tw1tch';
const OTHER = 'another-secret-0000000';
const now = new Date('2026-11-27T12:00:00Z');
const payload = JSON.stringify({
  subscription: { id: 'f1c2a387-161a-49f9-a165-0f21d7a4e1c4', type: 'channel.follow', version: '2', status: 'enabled', cost: 0 },
  event: { user_id: '1234', user_login: 'cool_user', broadcaster_user_id: '1337', followed_at: '2026-11-27T11:59:59.1234Z' },
});

function rfc3339Nanos(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1456789Z'); // Twitch sends nanosecond precision
}
function signed(opts: { at?: Date; body?: string; secret?: string; type?: string; id?: string } = {}) {
  const id = opts.id ?? 'befa7b53-d79d-478f-86b9-120f112b044e';
  const ts = rfc3339Nanos(opts.at ?? now);
  const body = opts.body ?? payload;
  const sig = createHmac('sha256', opts.secret ?? SECRET)
    .update(id + ts + body)
    .digest('hex');
  return makeRequest({
    headers: {
      'content-type': 'application/json',
      'twitch-eventsub-message-id': id,
      'twitch-eventsub-message-timestamp': ts,
      'twitch-eventsub-message-signature': `sha256=${sig}`,
      'twitch-eventsub-message-type': opts.type ?? 'notification',
      'twitch-eventsub-subscription-type': 'channel.follow',
      'twitch-eventsub-subscription-version': '2',
    },
    body,
    receivedAt: now,
  });
}

describe('twitch preset', () => {
  it('accepts a request signed as the EventSub docs describe (RFC 3339 ns timestamp)', () => {
    expect(verify(twitch, signed(), secrets(SECRET))).toEqual(OK('first'));
  });

  it('rejects a tampered body, a changed message id, a wrong secret and missing headers', () => {
    const request = signed();
    expect(verify(twitch, withChanges(request, { rawBody: Buffer.from(tamper(payload)) }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(twitch, withChanges(request, { setHeaders: { 'twitch-eventsub-message-id': 'other' } }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(twitch, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    for (const h of ['twitch-eventsub-message-signature', 'twitch-eventsub-message-id', 'twitch-eventsub-message-timestamp']) {
      expect(verify(twitch, withChanges(request, { dropHeaders: [h] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    }
    expect(verify(twitch, withChanges(request, { setHeaders: { 'twitch-eventsub-message-timestamp': '1700000000' } }), secrets(SECRET))).toEqual(
      FAIL('malformed_header'),
    );
  });

  it('rejects messages older than 10 minutes; a future timestamp is not stale', () => {
    expect(verify(twitch, signed({ at: new Date(now.getTime() - 601_000) }), secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
    expect(verify(twitch, signed({ at: new Date(now.getTime() - 590_000) }), secrets(SECRET))).toEqual(OK('first'));
    expect(verify(twitch, signed({ at: new Date(now.getTime() - 590_000) }), secrets(SECRET), { toleranceSeconds: 60 })).toEqual(FAIL('stale_timestamp'));
    expect(verify(twitch, signed({ at: new Date(now.getTime() + 3_600_000) }), secrets(SECRET))).toEqual(OK('first'));
  });

  it('matches the second of two secrets', () => {
    expect(verify(twitch, signed(), secrets(OTHER, SECRET))).toEqual(OK('second'));
  });

  it('answers webhook_callback_verification with the raw challenge as text/plain', () => {
    const body = JSON.stringify({
      challenge: 'pogchamp-kappa-360noscope-vohiyo',
      subscription: { id: 'f1c2a387', status: 'webhook_callback_verification_pending', type: 'channel.follow', version: '2' },
    });
    const request = signed({ body, type: 'webhook_callback_verification' });
    expect(verify(twitch, request, secrets(SECRET))).toEqual(OK('first'));
    expect(twitch.handshake!(request, parsed(request), { id: 'first', value: SECRET })).toEqual({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'pogchamp-kappa-360noscope-vohiyo',
    });
    expect(twitch.eventType(request, parsed(request))).toBe('webhook_callback_verification:channel.follow');
    const notification = signed();
    expect(twitch.handshake!(notification, parsed(notification), { id: 'first', value: SECRET })).toBeNull();
  });

  it('dedups on the message id and types by subscription type', () => {
    const request = signed();
    expect(twitch.dedupKey(request, parsed(request))).toBe('befa7b53-d79d-478f-86b9-120f112b044e');
    expect(twitch.eventType(request, parsed(request))).toBe('channel.follow');
  });

  it('produces a sample that verifies (checked independently with node:crypto and with the preset)', () => {
    const sample = twitch.sampleRequest(SECRET, 'https://h.example.com/x', now, twitch.settingsSchema.parse({}))!;
    const h = sample.headers;
    const expected = createHmac('sha256', SECRET)
      .update(h['twitch-eventsub-message-id']! + h['twitch-eventsub-message-timestamp']! + sample.body)
      .digest('hex');
    expect(h['twitch-eventsub-message-signature']).toBe(`sha256=${expected}`);
    const request = makeRequest({ headers: h, body: sample.body, receivedAt: now });
    expect(verify(twitch, request, secrets(SECRET))).toEqual(OK('first'));
    expect(twitch.eventType(request, parsed(request))).toBe('channel.follow');
  });
});
