import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { hubspot } from '@/lib/providers/hubspot';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const OTHER = 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz';
const URL_ = 'https://hooks.example.com/api/ingest/hubspot';
const payload =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321},' +
  '{"eventId":2,"subscriptionId":12346,"portalId":62515,"occurredAt":1564113600001,"subscriptionType":"contact.propertyChange","attemptNumber":0,"objectId":124,"propertyName":"email","propertyValue":"a@b.c","appId":54321}]';

/** Signed by @hubspot/api-client's own Signature.getSignature (v3). */
function signed(opts: { timestamp?: number; body?: string; secret?: string; url?: string; signedUrl?: string; method?: string } = {}) {
  const timestamp = opts.timestamp ?? Date.now();
  const body = opts.body ?? payload;
  const signature = Signature.getSignature(opts.method ?? 'POST', 'v3', {
    clientSecret: opts.secret ?? SECRET,
    requestBody: body,
    url: opts.signedUrl ?? opts.url ?? URL_,
    timestamp,
    signature: '',
  });
  return makeRequest({
    method: opts.method ?? 'POST',
    url: opts.url ?? URL_,
    headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) },
    body,
  });
}
function libraryAccepts(r: ReturnType<typeof signed>, url = r.url): boolean {
  try {
    return Signature.isValid({
      signatureVersion: 'v3',
      method: r.method,
      signature: r.headers['x-hubspot-signature-v3']!,
      clientSecret: SECRET,
      requestBody: r.rawBody.toString(),
      url,
      timestamp: Number(r.headers['x-hubspot-request-timestamp']),
    });
  } catch {
    return false;
  }
}

describe('hubspot preset (signature v3)', () => {
  it('accepts a request signed by @hubspot/api-client', () => {
    const request = signed();
    expect(libraryAccepts(request)).toBe(true);
    expect(verify(hubspot, request, secrets(SECRET))).toEqual(OK('first'));
  });

  it('rejects a tampered body, another method or URL, a wrong secret and missing headers', () => {
    const request = signed();
    const tampered = withChanges(request, { rawBody: Buffer.from(tamper(payload)) });
    expect(libraryAccepts(tampered)).toBe(false);
    expect(verify(hubspot, tampered, secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(hubspot, withChanges(request, { method: 'PUT' }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(hubspot, withChanges(request, { url: `${URL_}-other` }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(hubspot, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(hubspot, withChanges(request, { dropHeaders: ['x-hubspot-signature-v3'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    expect(verify(hubspot, withChanges(request, { dropHeaders: ['x-hubspot-request-timestamp'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
  });

  it('uses millisecond timestamps and rejects ones older than 5 minutes, like the library', () => {
    const now = Date.now();
    const stale = signed({ timestamp: now - 301_000 });
    expect(libraryAccepts(stale)).toBe(false);
    expect(verify(hubspot, { ...stale, receivedAt: new Date(now) }, secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
    const fresh = signed({ timestamp: now - 290_000 });
    expect(verify(hubspot, { ...fresh, receivedAt: new Date(now) }, secrets(SECRET))).toEqual(OK('first'));
    expect(verify(hubspot, { ...fresh, receivedAt: new Date(now) }, secrets(SECRET), { toleranceSeconds: 60 })).toEqual(FAIL('stale_timestamp'));
    // one-sided, as HubSpot's docs and library are
    const future = signed({ timestamp: now + 600_000 });
    expect(libraryAccepts(future)).toBe(true);
    expect(verify(hubspot, { ...future, receivedAt: new Date(now) }, secrets(SECRET))).toEqual(OK('first'));
  });

  it('decodes the percent-encodings HubSpot lists before signing the URI', () => {
    const encoded = `${URL_}?portal=62515&redirect=https%3A%2F%2Fexample.com%2Fa%40b%21&list=%28a%2Cb%29`;
    const decoded = `${URL_}?portal=62515&redirect=https://example.com/a@b!&list=(a,b)`;
    const request = signed({ url: encoded, signedUrl: decoded });
    expect(libraryAccepts(request, decoded)).toBe(true);
    expect(verify(hubspot, request, secrets(SECRET))).toEqual(OK('first'));
  });

  it('matches the second of two secrets', () => {
    expect(verify(hubspot, signed(), secrets(OTHER, SECRET))).toEqual(OK('second'));
  });

  it("accepts HubSpot's documented legacy v1 example only when legacy signatures are enabled", () => {
    // https://developers.hubspot.com/docs/faq/v1-request-validation
    const body =
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    const request = makeRequest({
      url: URL_,
      headers: { 'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de', 'x-hubspot-signature-version': 'v1' },
      body,
    });
    expect(Signature.getSignature('POST', 'v1', { clientSecret: SECRET, requestBody: body, signature: '' })).toBe(request.headers['x-hubspot-signature']);
    expect(verify(hubspot, request, secrets(SECRET))).toEqual(FAIL('missing_header'));
    expect(verify(hubspot, request, secrets(SECRET), { allowLegacySignatures: true })).toEqual(OK('first'));
    // v2 signs method + URL too
    const v2 = Signature.getSignature('POST', 'v2', { clientSecret: SECRET, requestBody: body, url: URL_, signature: '' });
    const v2Request = withChanges(request, { setHeaders: { 'x-hubspot-signature': v2, 'x-hubspot-signature-version': 'v2' } });
    expect(verify(hubspot, v2Request, secrets(SECRET), { allowLegacySignatures: true })).toEqual(OK('first'));
    expect(verify(hubspot, withChanges(v2Request, { url: `${URL_}/x` }), secrets(SECRET), { allowLegacySignatures: true })).toEqual(FAIL('bad_signature'));
  });

  it('derives the dedup key from the eventIds of the batch and the type from subscriptionType', () => {
    const request = signed();
    expect(hubspot.dedupKey(request, parsed(request))).toBe('1,2');
    expect(hubspot.eventType(request, parsed(request))).toBe('contact.creation,contact.propertyChange');
    const reordered = signed({ body: JSON.stringify(JSON.parse(payload).reverse()) });
    expect(hubspot.dedupKey(reordered, parsed(reordered))).toBe('1,2');
  });

  it('produces a sample for the given URL that the library and the preset accept', () => {
    const now = new Date();
    const sample = hubspot.sampleRequest(SECRET, URL_, now, hubspot.settingsSchema.parse({}))!;
    const request = makeRequest({ url: URL_, headers: sample.headers, body: sample.body, receivedAt: now });
    expect(libraryAccepts(request)).toBe(true);
    expect(verify(hubspot, request, secrets(SECRET))).toEqual(OK('first'));
    expect(hubspot.eventType(request, parsed(request))).toBe('contact.creation');
  });
});
