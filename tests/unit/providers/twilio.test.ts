import { getExpectedBodyHash, getExpectedTwilioSignature, validateRequest, validateRequestWithBody } from 'twilio/lib/webhooks/webhooks';
import { describe, expect, it } from 'vitest';
import { twilio } from '@/lib/providers/twilio';
import { FAIL, OK, makeRequest, parsed, secrets, verify, withChanges } from './helpers';

const TOKEN = '12345';
const OTHER = '54321';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
const formBody = new URLSearchParams(params).toString();

function formRequest(signature: string, opts: { url?: string; body?: string; headers?: Record<string, string> } = {}) {
  return makeRequest({
    url: opts.url ?? URL_,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, ...opts.headers },
    body: opts.body ?? formBody,
  });
}

describe('twilio preset', () => {
  it("verifies Twilio's documented example (URL + sorted params, HMAC-SHA1 base64)", () => {
    // https://www.twilio.com/docs/usage/security#validating-requests
    expect(validateRequest(TOKEN, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', URL_, params)).toBe(true);
    expect(verify(twilio, formRequest('0/KCTR6DLpKmkAf8muzZqo1nDgQ='), secrets(TOKEN))).toEqual(OK('first'));
  });

  it('accepts a request signed by the twilio library, with repeated and unsorted params', () => {
    const body = 'To=%2B15005550006&MediaUrl=https%3A%2F%2Fb.example%2F2&Body=Hi+there&MediaUrl=https%3A%2F%2Fa.example%2F1&From=%2B14155552671';
    const form = new URLSearchParams(body);
    const libParams: Record<string, string | string[]> = {};
    for (const key of new Set(form.keys())) {
      const all = form.getAll(key);
      libParams[key] = all.length > 1 ? all : all[0]!;
    }
    const signature = getExpectedTwilioSignature(TOKEN, URL_, libParams);
    expect(validateRequest(TOKEN, signature, URL_, libParams)).toBe(true);
    expect(verify(twilio, formRequest(signature, { body }), secrets(TOKEN))).toEqual(OK('first'));
  });

  it('accepts a signature over the URL with or without the default port, like the library', () => {
    const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
    const signature = getExpectedTwilioSignature(TOKEN, URL_, params); // Twilio signed the URL without the port
    expect(validateRequest(TOKEN, signature, withPort, params)).toBe(true);
    expect(verify(twilio, formRequest(signature, { url: withPort }), secrets(TOKEN))).toEqual(OK('first'));
    const signedWithPort = getExpectedTwilioSignature(TOKEN, withPort, params);
    expect(verify(twilio, formRequest(signedWithPort), secrets(TOKEN))).toEqual(OK('first'));
  });

  it('verifies JSON bodies through the bodySHA256 query parameter', () => {
    const body = '{"property": "value", "boolean": true}';
    const url = `https://mycompany.com/myapp.php?bodySHA256=${getExpectedBodyHash(body)}`;
    const signature = getExpectedTwilioSignature(TOKEN, url, {});
    expect(validateRequestWithBody(TOKEN, signature, url, body)).toBe(true);
    const request = makeRequest({ url, headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, body });
    expect(verify(twilio, request, secrets(TOKEN))).toEqual(OK('first'));
    const tampered = withChanges(request, { rawBody: Buffer.from(body.replace('value', 'valuf')) });
    expect(validateRequestWithBody(TOKEN, signature, url, tampered.rawBody.toString())).toBe(false);
    expect(verify(twilio, tampered, secrets(TOKEN))).toEqual(FAIL('bad_signature'));
  });

  it('rejects a tampered param, a different URL, a wrong token and a missing header', () => {
    const good = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
    expect(verify(twilio, formRequest(good, { body: formBody.replace('1234', '1235') }), secrets(TOKEN))).toEqual(FAIL('bad_signature'));
    expect(verify(twilio, formRequest(good, { url: 'https://mycompany.com/other.php?foo=1&bar=2' }), secrets(TOKEN))).toEqual(FAIL('bad_signature'));
    expect(verify(twilio, formRequest(good), secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(twilio, withChanges(formRequest(good), { dropHeaders: ['x-twilio-signature'] }), secrets(TOKEN))).toEqual(FAIL('missing_header'));
  });

  it('uses the configured signed URL when the derived one differs', () => {
    const request = formRequest('0/KCTR6DLpKmkAf8muzZqo1nDgQ=', { url: 'http://10.0.0.5:3000/api/ingest/twilio?foo=1&bar=2' });
    expect(verify(twilio, request, secrets(TOKEN))).toEqual(FAIL('bad_signature'));
    expect(verify(twilio, request, secrets(TOKEN), { signedUrl: URL_ })).toEqual(OK('first'));
  });

  it('matches the second of two tokens', () => {
    expect(verify(twilio, formRequest('0/KCTR6DLpKmkAf8muzZqo1nDgQ='), secrets(OTHER, TOKEN))).toEqual(OK('second'));
  });

  it('dedups on I-Twilio-Idempotency-Token and types by status', () => {
    const request = formRequest('x', {
      body: 'CallSid=CA1&CallStatus=completed',
      headers: { 'i-twilio-idempotency-token': 'c5b0e7a8-0f0c-4c1e-9c1e-6a4f6f0f1e2d' },
    });
    expect(twilio.dedupKey(request, parsed(request))).toBe('c5b0e7a8-0f0c-4c1e-9c1e-6a4f6f0f1e2d');
    expect(twilio.eventType(request, parsed(request))).toBe('call.completed');
    const sms = formRequest('x', { body: 'MessageSid=SM1&MessageStatus=delivered' });
    expect(twilio.eventType(sms, parsed(sms))).toBe('message.delivered');
    expect(twilio.dedupKey(sms, parsed(sms))).toBeNull();
  });

  it('produces a form-encoded sample that the twilio library and the preset accept for the given URL', () => {
    const url = 'https://hooks.example.com/api/ingest/sms?x=1';
    const sample = twilio.sampleRequest(TOKEN, url, new Date(), twilio.settingsSchema.parse({}))!;
    const form = Object.fromEntries(new URLSearchParams(sample.body));
    expect(validateRequest(TOKEN, sample.headers['x-twilio-signature']!, url, form)).toBe(true);
    const request = makeRequest({ url, headers: sample.headers, body: sample.body });
    expect(verify(twilio, request, secrets(TOKEN))).toEqual(OK('first'));
    expect(twilio.eventType(request, parsed(request))).toBe('message.received');
  });
});
