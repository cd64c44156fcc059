import { createHmac } from 'node:crypto';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { hmacPreset, hmacSettingsSchema } from '@/lib/providers/hmac';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

const SECRET = 'generic-shared-secret';
const OTHER = 'some-other-secret';

describe('generic hmac preset', () => {
  it('configured like GitHub, accepts a request signed by @octokit/webhooks-methods', async () => {
    const settings = { header: 'X-Hub-Signature-256', prefix: 'sha256=' };
    const body = '{"action":"opened"}';
    const request = makeRequest({ headers: { 'x-hub-signature-256': await octokitSign(SECRET, body) }, body });
    expect(verify(hmacPreset, request, secrets(SECRET), settings)).toEqual(OK('first'));
    expect(verify(hmacPreset, withChanges(request, { rawBody: Buffer.from('{"action":"closed"}') }), secrets(SECRET), settings)).toEqual(FAIL('bad_signature'));
    // the prefix is required when configured
    const bare = withChanges(request, { setHeaders: { 'x-hub-signature-256': request.headers['x-hub-signature-256']!.slice(7) } });
    expect(verify(hmacPreset, bare, secrets(SECRET), settings)).toEqual(FAIL('malformed_header'));
  });

  it("configured like Slack, verifies Slack's documented example (template with {timestamp}, 'v0=' prefix)", () => {
    const settings = {
      header: 'x-slack-signature',
      prefix: 'v0=',
      template: 'v0:{timestamp}:{body}',
      timestampHeader: 'x-slack-request-timestamp',
      toleranceSeconds: 300,
    };
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const request = makeRequest({
      headers: { 'x-slack-request-timestamp': '1531420618', 'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' },
      body,
      receivedAt: new Date(1531420618_000),
    });
    expect(verify(hmacPreset, request, secrets('8f742231b10e8888abcd99yyyzzz85a5'), settings)).toEqual(OK('first'));
    expect(verify(hmacPreset, { ...request, receivedAt: new Date(1531420618_000 + 301_000) }, secrets('8f742231b10e8888abcd99yyyzzz85a5'), settings)).toEqual(
      FAIL('stale_timestamp'),
    );
    expect(verify(hmacPreset, { ...request, receivedAt: new Date(1531420618_000 - 301_000) }, secrets('8f742231b10e8888abcd99yyyzzz85a5'), settings)).toEqual(
      FAIL('stale_timestamp'),
    );
    expect(
      verify(hmacPreset, withChanges(request, { dropHeaders: ['x-slack-request-timestamp'] }), secrets('8f742231b10e8888abcd99yyyzzz85a5'), settings),
    ).toEqual(FAIL('missing_header'));
  });

  it('configured as "{id}.{timestamp}.{body}" base64 with a "v1," prefix, accepts standardwebhooks raw-key signatures, several per header', () => {
    const settings = {
      header: 'webhook-signature',
      encoding: 'base64',
      prefix: 'v1,',
      template: '{id}.{timestamp}.{body}',
      idHeader: 'webhook-id',
      timestampHeader: 'webhook-timestamp',
    };
    const body = '{"type":"order.paid","data":{"id":7}}';
    const at = new Date();
    const mine = new Webhook(SECRET, { format: 'raw' }).sign('msg_1', at, body);
    const theirs = new Webhook(OTHER, { format: 'raw' }).sign('msg_1', at, body);
    const request = makeRequest({
      headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': `${theirs} ${mine}` },
      body,
    });
    expect(verify(hmacPreset, request, secrets(SECRET), settings)).toEqual(OK('first'));
    expect(verify(hmacPreset, request, secrets('nobody', OTHER), settings)).toEqual(OK('second'));
    expect(verify(hmacPreset, withChanges(request, { setHeaders: { 'webhook-id': 'msg_2' } }), secrets(SECRET), settings)).toEqual(FAIL('bad_signature'));
    expect(verify(hmacPreset, withChanges(request, { dropHeaders: ['webhook-id'] }), secrets(SECRET), settings)).toEqual(FAIL('missing_header'));
    expect(hmacPreset.dedupKey(request, parsed(request), hmacSettingsSchema.parse(settings))).toBe('msg_1');
  });

  it('supports sha1 and sha512, hex and base64, and millisecond timestamps', () => {
    const body = '{"n":1}';
    const ts = Date.now();
    for (const algorithm of ['sha1', 'sha512'] as const) {
      for (const encoding of ['hex', 'base64'] as const) {
        const sig = createHmac(algorithm, SECRET).update(`${ts}.${body}`).digest(encoding);
        const settings = { header: 'x-sig', algorithm, encoding, template: '{timestamp}.{body}', timestampHeader: 'x-ts', timestampUnit: 'ms' };
        const request = makeRequest({ headers: { 'x-sig': sig, 'x-ts': String(ts) }, body });
        expect(verify(hmacPreset, request, secrets(SECRET), settings)).toEqual(OK('first'));
        // treating the ms value as seconds would put it far in the future: the unit matters
        expect(verify(hmacPreset, request, secrets(SECRET), { ...settings, timestampUnit: 's' })).toEqual(FAIL('stale_timestamp'));
        expect(verify(hmacPreset, request, secrets(SECRET), { ...settings, algorithm: 'sha256' })).toEqual(FAIL('bad_signature'));
      }
    }
  });

  it('rejects a tampered body, a wrong secret, a missing or undecodable header', () => {
    const body = '{"amount":100}';
    const request = makeRequest({ headers: { 'x-signature': createHmac('sha256', SECRET).update(body).digest('hex') }, body });
    expect(verify(hmacPreset, request, secrets(SECRET))).toEqual(OK('first'));
    expect(verify(hmacPreset, withChanges(request, { rawBody: Buffer.from(tamper(body)) }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(hmacPreset, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(hmacPreset, request, secrets(OTHER, SECRET))).toEqual(OK('second'));
    expect(verify(hmacPreset, withChanges(request, { dropHeaders: ['x-signature'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    expect(verify(hmacPreset, withChanges(request, { setHeaders: { 'x-signature': 'zz-not-hex' } }), secrets(SECRET))).toEqual(FAIL('malformed_header'));
  });

  it('refuses a template without {body}, or using {timestamp} or {id} without the header to read it from', () => {
    expect(hmacSettingsSchema.safeParse({ template: '{timestamp}.{body}' }).success).toBe(false);
    expect(hmacSettingsSchema.safeParse({ template: '{id}.{body}' }).success).toBe(false);
    expect(hmacSettingsSchema.safeParse({ template: '{id}.{body}', idHeader: 'x-id' }).success).toBe(true);
    expect(hmacSettingsSchema.safeParse({ template: '{id}', idHeader: 'x-id' }).success).toBe(false);
    expect(hmacSettingsSchema.parse({})).toMatchObject({
      header: 'x-signature',
      algorithm: 'sha256',
      encoding: 'hex',
      template: '{body}',
      toleranceSeconds: 300,
    });
  });

  it('takes dedup key and event type from configured headers or fields', () => {
    const body = '{"event":{"id":"e-1","kind":"thing.done"},"type":"fallback.type"}';
    const request = makeRequest({ headers: { 'x-delivery': 'd-9', 'x-event-type': 'hdr.type', 'content-type': 'application/json' }, body });
    const p = parsed(request);
    const s = (o: object) => hmacSettingsSchema.parse(o);
    expect(hmacPreset.dedupKey(request, p, s({ dedupHeader: 'x-delivery' }))).toBe('d-9');
    expect(hmacPreset.dedupKey(request, p, s({ dedupField: 'event.id' }))).toBe('e-1');
    expect(hmacPreset.dedupKey(request, p, s({}))).toBeNull();
    expect(hmacPreset.eventType(request, p, s({ eventTypeHeader: 'x-event-type' }))).toBe('hdr.type');
    expect(hmacPreset.eventType(request, p, s({ eventTypeField: 'event.kind' }))).toBe('thing.done');
    expect(hmacPreset.eventType(request, p, s({}))).toBe('fallback.type');
  });

  it('produces samples that verify under the same settings', () => {
    const now = new Date();
    for (const raw of [
      {},
      { header: 'x-sig', algorithm: 'sha512', encoding: 'base64', prefix: 'sha512=' },
      { template: '{id}.{timestamp}.{body}', idHeader: 'x-id', timestampHeader: 'x-ts', timestampUnit: 'ms' },
    ]) {
      const settings = hmacSettingsSchema.parse(raw);
      const sample = hmacPreset.sampleRequest(SECRET, 'https://h.example.com/x', now, settings)!;
      const request = makeRequest({ headers: sample.headers, body: sample.body, receivedAt: now });
      expect(hmacPreset.verify(request, secrets(SECRET), settings)).toEqual(OK('first'));
      expect(hmacPreset.verify(request, secrets(OTHER), settings)).toEqual(FAIL('bad_signature'));
    }
  });
});
