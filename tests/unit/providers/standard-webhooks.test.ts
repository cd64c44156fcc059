import { generateKeyPairSync, sign as edSign } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { standardWebhooks } from '@/lib/providers/standard-webhooks';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_dGhpcyBpcyBub3QgdGhlIHNlY3JldCBrZXk=';
const lib = new Webhook(SECRET);
const payload = JSON.stringify({ type: 'invoice.paid', timestamp: '2026-11-27T12:00:00Z', data: { id: 'inv_1', amount: 4200 } });

function signed(opts: { at?: Date; body?: string; secret?: string; id?: string } = {}) {
  const at = opts.at ?? new Date();
  const body = opts.body ?? payload;
  const id = opts.id ?? 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
  const signature = new Webhook(opts.secret ?? SECRET).sign(id, at, body);
  return makeRequest({
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  });
}

describe('standard-webhooks preset', () => {
  it('verifies the documented example (whsec_ key base64-decoded)', () => {
    const request = makeRequest({
      headers: {
        'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        'webhook-timestamp': '1614265330',
        'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      },
      body: '{"test": 2432232314}',
      receivedAt: new Date(1614265330_000),
    });
    expect(verify(standardWebhooks, request, secrets(SECRET))).toEqual(OK('first'));
  });

  it('accepts a request signed by the standardwebhooks library', () => {
    const request = signed();
    expect(lib.verify(payload, request.headers)).toEqual(JSON.parse(payload));
    expect(verify(standardWebhooks, request, secrets(SECRET))).toEqual(OK('first'));
  });

  it('does not use the whsec_ string itself as the key', () => {
    const raw = 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const wrong = signed({ secret: 'whsec_' + Buffer.from(SECRET, 'utf8').toString('base64') });
    expect(verify(standardWebhooks, wrong, secrets(SECRET))).toEqual(FAIL('bad_signature'));
    // a secret given without the prefix is the same key
    expect(verify(standardWebhooks, signed(), secrets(raw))).toEqual(OK('first'));
  });

  it('rejects a tampered body, a wrong secret and each missing header', () => {
    const request = signed();
    expect(() => lib.verify(tamper(payload), request.headers)).toThrow();
    expect(verify(standardWebhooks, withChanges(request, { rawBody: Buffer.from(tamper(payload)) }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(standardWebhooks, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      expect(verify(standardWebhooks, withChanges(request, { dropHeaders: [header] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    }
    // the id is signed: changing it breaks the signature
    expect(verify(standardWebhooks, withChanges(request, { setHeaders: { 'webhook-id': 'msg_other' } }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(standardWebhooks, withChanges(request, { setHeaders: { 'webhook-signature': 'v2,abc' } }), secrets(SECRET))).toEqual(
      FAIL('malformed_header'),
    );
  });

  it('has a two-sided five-minute window, as the library does', () => {
    const now = new Date();
    const old = signed({ at: new Date(now.getTime() - 301_000) });
    const future = signed({ at: new Date(now.getTime() + 301_000) });
    expect(() => lib.verify(payload, old.headers)).toThrow(/too old/);
    expect(() => lib.verify(payload, future.headers)).toThrow(/too new/);
    expect(verify(standardWebhooks, { ...old, receivedAt: now }, secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
    expect(verify(standardWebhooks, { ...future, receivedAt: now }, secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
    const nearlyOld = signed({ at: new Date(now.getTime() - 290_000) });
    expect(verify(standardWebhooks, { ...nearlyOld, receivedAt: now }, secrets(SECRET))).toEqual(OK('first'));
    expect(verify(standardWebhooks, { ...nearlyOld, receivedAt: now }, secrets(SECRET), { toleranceSeconds: 60 })).toEqual(FAIL('stale_timestamp'));
  });

  it('matches the second of two secrets', () => {
    expect(verify(standardWebhooks, signed(), secrets(OTHER, SECRET))).toEqual(OK('second'));
  });

  it('accepts any one of several space-separated signatures (key rotation)', () => {
    const request = signed();
    const other = new Webhook(OTHER).sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', new Date(Number(request.headers['webhook-timestamp']) * 1000), payload);
    const header = `${other} ${request.headers['webhook-signature']}`;
    const both = withChanges(request, { setHeaders: { 'webhook-signature': header } });
    expect(lib.verify(payload, both.headers)).toBeTruthy();
    expect(verify(standardWebhooks, both, secrets(SECRET))).toEqual(OK('first'));
    expect(verify(standardWebhooks, both, secrets(OTHER))).toEqual(OK('first'));
    // the same two entries sent as two header lines, which Node joins with ", "
    const joined = withChanges(request, { setHeaders: { 'webhook-signature': `${request.headers['webhook-signature']}, ${other}` } });
    expect(verify(standardWebhooks, joined, secrets(SECRET))).toEqual(OK('first'));
  });

  it('verifies asymmetric v1a signatures against a whpk_ public key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const id = 'msg_asym';
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = edSign(null, Buffer.from(`${id}.${ts}.${payload}`), privateKey).toString('base64');
    const request = makeRequest({ headers: { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1a,${sig}` }, body: payload });
    expect(verify(standardWebhooks, request, secrets(`whpk_${raw.toString('base64')}`))).toEqual(OK('first'));
    expect(verify(standardWebhooks, withChanges(request, { rawBody: Buffer.from(tamper(payload)) }), secrets(`whpk_${raw.toString('base64')}`))).toEqual(
      FAIL('bad_signature'),
    );
    expect(standardWebhooks.sampleRequest(`whpk_${raw.toString('base64')}`, 'https://h', new Date(), { toleranceSeconds: 300 })).toBeNull();
  });

  it('dedups on webhook-id and types by the body type', () => {
    const request = signed();
    expect(standardWebhooks.dedupKey(request, parsed(request))).toBe('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W');
    expect(standardWebhooks.eventType(request, parsed(request))).toBe('invoice.paid');
  });

  it('produces a sample that the library and the preset accept', () => {
    const sample = standardWebhooks.sampleRequest(SECRET, 'https://h.example.com/x', new Date(), standardWebhooks.settingsSchema.parse({}))!;
    expect(lib.verify(sample.body, sample.headers)).toMatchObject({ type: 'invoice.paid' });
    const request = makeRequest({ headers: sample.headers, body: sample.body });
    expect(verify(standardWebhooks, request, secrets(SECRET))).toEqual(OK('first'));
    expect(standardWebhooks.dedupKey(request, parsed(request))).toBe(sample.headers['webhook-id']);
  });
});
