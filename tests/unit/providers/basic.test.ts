import { describe, expect, it } from 'vitest';
import { basic } from '@/lib/providers/basic';
import { FAIL, OK, makeRequest, parsed, secrets, verify } from './helpers';

const CREDENTIALS = 'hookyard:correct horse battery staple';
const authorization = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
const req = (headers: Record<string, string>) => makeRequest({ headers: { 'content-type': 'application/json', ...headers }, body: '{"event":"ping"}' });

describe('basic preset', () => {
  it('accepts matching user:password credentials (RFC 7617 example too)', () => {
    expect(verify(basic, req({ authorization: authorization(CREDENTIALS) }), secrets(CREDENTIALS))).toEqual(OK('first'));
    // RFC 7617 section 2: "Aladdin" / "open sesame"
    expect(verify(basic, req({ authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' }), secrets('Aladdin:open sesame'))).toEqual(OK('first'));
    expect(verify(basic, req({ authorization: 'basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' }), secrets('Aladdin:open sesame'))).toEqual(OK('first'));
  });

  it('matches the second of two credentials', () => {
    expect(verify(basic, req({ authorization: authorization(CREDENTIALS) }), secrets('old:pw', CREDENTIALS))).toEqual(OK('second'));
  });

  it('rejects a wrong user or password, another scheme and a missing header', () => {
    expect(verify(basic, req({ authorization: authorization('hookyard:wrong') }), secrets(CREDENTIALS))).toEqual(FAIL('bad_signature'));
    expect(verify(basic, req({ authorization: authorization('other:correct horse battery staple') }), secrets(CREDENTIALS))).toEqual(FAIL('bad_signature'));
    expect(verify(basic, req({ authorization: `Bearer ${CREDENTIALS}` }), secrets(CREDENTIALS))).toEqual(FAIL('malformed_header'));
    expect(verify(basic, req({ authorization: authorization('no-colon') }), secrets(CREDENTIALS))).toEqual(FAIL('malformed_header'));
    expect(verify(basic, req({}), secrets(CREDENTIALS))).toEqual(FAIL('missing_header'));
  });

  it('types by the body event field and has no dedup key unless configured', () => {
    const r = req({ authorization: authorization(CREDENTIALS) });
    expect(basic.eventType(r, parsed(r))).toBe('ping');
    expect(basic.dedupKey(r, parsed(r))).toBeNull();
  });

  it('produces a sample that verifies', () => {
    const sample = basic.sampleRequest(CREDENTIALS, 'https://h.example.com/x', new Date(), {})!;
    expect(verify(basic, makeRequest({ headers: sample.headers, body: sample.body }), secrets(CREDENTIALS))).toEqual(OK('first'));
  });
});
