import { createHmac } from 'node:crypto';
import { isValidSlackRequest } from '@slack/bolt/dist/receivers/verify-request';
import { describe, expect, it } from 'vitest';
import { slack } from '@/lib/providers/slack';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const OTHER = '00000000000000000000000000000000';
const now = new Date('2026-11-27T12:00:00Z');
const nowS = Math.floor(now.getTime() / 1000);

const eventBody = JSON.stringify({
  token: 'x',
  team_id: 'T1',
  type: 'event_callback',
  event: { type: 'app_mention', user: 'U1', text: 'hi', ts: '1.2', channel: 'C1' },
  event_id: 'Ev08MFMKH6',
  event_time: 1234567890,
});

/** Signed per Slack's docs with node:crypto (Bolt only verifies). */
function signed(opts: { body?: string; secret?: string; ts?: number; contentType?: string } = {}) {
  const body = opts.body ?? eventBody;
  const ts = opts.ts ?? nowS;
  const sig = createHmac('sha256', opts.secret ?? SECRET)
    .update(`v0:${ts}:${body}`)
    .digest('hex');
  return makeRequest({
    headers: { 'content-type': opts.contentType ?? 'application/json', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${sig}` },
    body,
    receivedAt: now,
  });
}

function boltAccepts(headers: Record<string, string>, body: string, atMs = now.getTime()): boolean {
  return isValidSlackRequest({
    signingSecret: SECRET,
    body,
    headers: { 'x-slack-signature': headers['x-slack-signature']!, 'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']) },
    nowMilliseconds: atMs,
  });
}

describe('slack preset', () => {
  it("verifies Slack's documented slash-command example", () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack (example values)
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const request = makeRequest({
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': '1531420618',
        'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      },
      body,
      receivedAt: new Date(1531420618_000 + 10_000),
    });
    expect(boltAccepts(request.headers, body, request.receivedAt.getTime())).toBe(true);
    expect(verify(slack, request, secrets(SECRET))).toEqual(OK('first'));
    expect(slack.eventType(request, parsed(request))).toBe('slash_command:/webhook-collect');
    expect(slack.dedupKey(request, parsed(request))).toBeNull();
  });

  it('accepts an Events API request that Bolt accepts', () => {
    const request = signed();
    expect(boltAccepts(request.headers, eventBody)).toBe(true);
    expect(verify(slack, request, secrets(SECRET))).toEqual(OK('first'));
  });

  it('rejects a tampered body, a wrong secret, missing and malformed headers', () => {
    const request = signed();
    expect(boltAccepts(request.headers, tamper(eventBody))).toBe(false);
    expect(verify(slack, withChanges(request, { rawBody: Buffer.from(tamper(eventBody)) }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(slack, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(slack, withChanges(request, { dropHeaders: ['x-slack-signature'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    expect(verify(slack, withChanges(request, { dropHeaders: ['x-slack-request-timestamp'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    const v1 = request.headers['x-slack-signature']!.replace('v0=', 'v1=');
    expect(verify(slack, withChanges(request, { setHeaders: { 'x-slack-signature': v1 } }), secrets(SECRET))).toEqual(FAIL('malformed_header'));
  });

  it('rejects timestamps more than five minutes away in either direction', () => {
    expect(verify(slack, signed({ ts: nowS - 299 }), secrets(SECRET))).toEqual(OK('first'));
    const stale = signed({ ts: nowS - 301 });
    expect(boltAccepts(stale.headers, eventBody)).toBe(false);
    expect(verify(slack, stale, secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
    expect(verify(slack, signed({ ts: nowS + 301 }), secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
    expect(verify(slack, signed({ ts: nowS + 200 }), secrets(SECRET))).toEqual(OK('first'));
    expect(verify(slack, signed({ ts: nowS - 200 }), secrets(SECRET), { toleranceSeconds: 100 })).toEqual(FAIL('stale_timestamp'));
  });

  it('matches the second of two secrets', () => {
    expect(verify(slack, signed(), secrets(OTHER, SECRET))).toEqual(OK('second'));
  });

  it('dedups Events API deliveries on event_id and types them by the inner event', () => {
    const request = signed();
    expect(slack.dedupKey(request, parsed(request))).toBe('Ev08MFMKH6');
    expect(slack.eventType(request, parsed(request))).toBe('app_mention');
    expect(slack.handshake!(request, parsed(request), { id: 'first', value: SECRET })).toBeNull();
  });

  it('types interactivity payloads (form body with a JSON payload field)', () => {
    const form = new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', trigger_id: '1.2.3', actions: [] }) }).toString();
    const request = signed({ body: form, contentType: 'application/x-www-form-urlencoded' });
    expect(verify(slack, request, secrets(SECRET))).toEqual(OK('first'));
    expect(slack.eventType(request, parsed(request))).toBe('block_actions');
  });

  it('answers url_verification with the challenge', () => {
    const body = JSON.stringify({
      token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const request = signed({ body });
    expect(verify(slack, request, secrets(SECRET))).toEqual(OK('first'));
    const response = slack.handshake!(request, parsed(request), { id: 'first', value: SECRET });
    expect(response?.status).toBe(200);
    expect(JSON.parse(response!.body)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    expect(slack.eventType(request, parsed(request))).toBe('url_verification');
  });

  it('produces a sample that Bolt and the preset accept', () => {
    const sample = slack.sampleRequest(SECRET, 'https://h.example.com/x', now, slack.settingsSchema.parse({}))!;
    expect(boltAccepts(sample.headers, sample.body)).toBe(true);
    const request = makeRequest({ headers: sample.headers, body: sample.body, receivedAt: now });
    expect(verify(slack, request, secrets(SECRET))).toEqual(OK('first'));
    expect(slack.eventType(request, parsed(request))).toBe('app_mention');
    expect(slack.dedupKey(request, parsed(request))).toMatch(/^Ev/);
  });
});
