import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resetConfigForTests } from '@/lib/config/env';
import { resetSettingsForTests } from '@/lib/config/settings';
import { providerFacingUrl, requestPublicBaseUrl } from '@/lib/http/public-url';

const saved = { publicUrl: process.env.HOOKYARD_PUBLIC_URL, trustProxy: process.env.HOOKYARD_TRUST_PROXY, databaseUrl: process.env.DATABASE_URL };
// The settings are read as a whole; no database is used here.
process.env.DATABASE_URL ??= 'postgres://hookyard@127.0.0.1:1/unused';

function withEnv(publicUrl: string | undefined, trustProxy: string | undefined): void {
  if (publicUrl === undefined) delete process.env.HOOKYARD_PUBLIC_URL;
  else process.env.HOOKYARD_PUBLIC_URL = publicUrl;
  if (trustProxy === undefined) delete process.env.HOOKYARD_TRUST_PROXY;
  else process.env.HOOKYARD_TRUST_PROXY = trustProxy;
  resetSettingsForTests();
  resetConfigForTests();
}

afterEach(() => withEnv(saved.publicUrl, saved.trustProxy));
afterAll(() => {
  if (saved.databaseUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved.databaseUrl;
  resetConfigForTests();
});

const forwarded = { host: 'internal:3000', 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'hooks.example.com' };

describe('the public base URL', () => {
  it('is HOOKYARD_PUBLIC_URL when set, for providers and the JSON API alike', () => {
    withEnv('https://public.example.com', '1');
    expect(providerFacingUrl('/api/ingest/s?x=1', forwarded)).toBe('https://public.example.com/api/ingest/s?x=1');
    expect(requestPublicBaseUrl(new Request('http://internal:3000/api/v1/sources', { headers: forwarded }))).toBe('https://public.example.com');
  });

  it('believes forwarded headers only behind a trusted proxy', () => {
    withEnv(undefined, '1');
    expect(providerFacingUrl('/api/ingest/s', forwarded)).toBe('https://hooks.example.com/api/ingest/s');
    expect(requestPublicBaseUrl(new Request('http://internal:3000/api/v1/sources', { headers: forwarded }))).toBe('https://hooks.example.com');
    withEnv(undefined, '0');
    expect(providerFacingUrl('/api/ingest/s', forwarded)).toBe('http://internal:3000/api/ingest/s');
    expect(requestPublicBaseUrl(new Request('http://internal:3000/api/v1/sources', { headers: forwarded }))).toBe('http://internal:3000');
  });

  it('falls back to the Host header, then localhost', () => {
    withEnv(undefined, undefined);
    expect(providerFacingUrl('/p', { host: 'gw.local:8080' })).toBe('http://gw.local:8080/p');
    expect(providerFacingUrl('/p', {})).toBe('http://localhost/p');
  });
});
