import { Webhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { svix } from '@/lib/providers/svix';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_dGhpcyBpcyBub3QgdGhlIHNlY3JldCBrZXk=';
const lib = new Webhook(SECRET);
const payload = JSON.stringify({ type: 'user.created', data: { id: 'user_1', email: 'a@example.com' } });

function signed(opts: { at?: Date; body?: string; secret?: string } = {}) {
  const at = opts.at ?? new Date();
  const body = opts.body ?? payload;
  const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
  return makeRequest({
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
      'svix-signature': new Webhook(opts.secret ?? SECRET).sign(id, at, body),
    },
    body,
  });
}

describe('svix preset', () => {
  it("verifies Svix's documented example", () => {
    // https://docs.svix.com/receiving/verifying-payloads/how-manual
    const request = makeRequest({
      headers: {
        'svix-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        'svix-timestamp': '1614265330',
        'svix-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      },
      body: '{"test": 2432232314}',
      receivedAt: new Date(1614265330_000 + 1000),
    });
    expect(verify(svix, request, secrets(SECRET))).toEqual(OK('first'));
  });

  it('accepts a request signed by the svix library', () => {
    const request = signed();
    expect(lib.verify(payload, request.headers)).toEqual(JSON.parse(payload));
    expect(verify(svix, request, secrets(SECRET))).toEqual(OK('first'));
  });

  it('also accepts the white-label webhook-* header names, as the library does', () => {
    const request = signed();
    const renamed = makeRequest({
      headers: {
        'webhook-id': request.headers['svix-id']!,
        'webhook-timestamp': request.headers['svix-timestamp']!,
        'webhook-signature': request.headers['svix-signature']!,
      },
      body: payload,
    });
    expect(lib.verify(payload, renamed.headers)).toBeTruthy();
    expect(verify(svix, renamed, secrets(SECRET))).toEqual(OK('first'));
    expect(svix.dedupKey(renamed, parsed(renamed))).toBe('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W');
  });

  it('rejects a tampered body, a wrong secret and missing headers', () => {
    const request = signed();
    expect(() => lib.verify(tamper(payload), request.headers)).toThrow();
    expect(verify(svix, withChanges(request, { rawBody: Buffer.from(tamper(payload)) }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(svix, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(svix, withChanges(request, { dropHeaders: ['svix-signature'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    expect(verify(svix, withChanges(request, { dropHeaders: ['svix-timestamp'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
  });

  it('rejects timestamps over five minutes old or ahead', () => {
    const now = new Date();
    const old = signed({ at: new Date(now.getTime() - 400_000) });
    const future = signed({ at: new Date(now.getTime() + 400_000) });
    expect(() => lib.verify(payload, old.headers)).toThrow();
    expect(() => lib.verify(payload, future.headers)).toThrow();
    expect(verify(svix, { ...old, receivedAt: now }, secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
    expect(verify(svix, { ...future, receivedAt: now }, secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
  });

  it('matches the second of two secrets, and any of several signatures', () => {
    const request = signed();
    expect(verify(svix, request, secrets(OTHER, SECRET))).toEqual(OK('second'));
    const extra = new Webhook(OTHER).sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', new Date(Number(request.headers['svix-timestamp']) * 1000), payload);
    const both = withChanges(request, { setHeaders: { 'svix-signature': `${extra} ${request.headers['svix-signature']}` } });
    expect(verify(svix, both, secrets(SECRET))).toEqual(OK('first'));
  });

  it('dedups on svix-id and types by the body type', () => {
    const request = signed();
    expect(svix.dedupKey(request, parsed(request))).toBe('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W');
    expect(svix.eventType(request, parsed(request))).toBe('user.created');
  });

  it('produces a sample (svix-* headers) that the library and the preset accept', () => {
    const sample = svix.sampleRequest(SECRET, 'https://h.example.com/x', new Date(), svix.settingsSchema.parse({}))!;
    expect(sample.headers['svix-id']).toMatch(/^msg_/);
    expect(lib.verify(sample.body, sample.headers)).toBeTruthy();
    expect(verify(svix, makeRequest({ headers: sample.headers, body: sample.body }), secrets(SECRET))).toEqual(OK('first'));
  });
});
