/**
 * The browser-security rules as pure functions (docs/security.md): the header set of one response
 * (lib/http/security-headers.ts) and the CSRF rule (lib/http/same-origin.ts). The browser test
 * (tests/e2e/security-browser.spec.ts) and the server test (tests/integration/security-csrf.test.ts)
 * check them on real responses.
 */
import { describe, expect, it } from 'vitest';
import { readBrowserSecuritySettings } from '@/lib/config/browser-security';
import { AppError } from '@/lib/http/errors';
import { assertSameOrigin, isFromOwnOrigin, needsOriginCheck, ownOrigins } from '@/lib/http/same-origin';
import { contentSecurityPolicy, newNonce, securityHeaders } from '@/lib/http/security-headers';

const plain = { publicUrl: null, trustProxy: false, oidcIssuerOrigin: null, dev: false };

/** The directives of a policy, by name. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('the header set', () => {
  it('allows scripts only with the nonce, forbids framing, plugins and foreign forms', () => {
    const policy = directives(contentSecurityPolicy(plain, 'abc123'));
    expect(policy['script-src']).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(policy['script-src']).not.toContain("'unsafe-inline'");
    expect(policy['script-src']).not.toContain("'unsafe-eval'");
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['base-uri']).toEqual(["'self'"]);
    expect(policy['form-action']).toEqual(["'self'"]);
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['img-src']).toEqual(["'self'", 'data:']);
  });

  it("has no nonce and no 'strict-dynamic' where nothing is rendered", () => {
    expect(directives(contentSecurityPolicy(plain))['script-src']).toEqual(["'self'"]);
  });

  it("adds 'unsafe-eval' in next dev only", () => {
    expect(directives(contentSecurityPolicy({ ...plain, dev: true }, 'n'))['script-src']).toContain("'unsafe-eval'");
    expect(readBrowserSecuritySettings({ NODE_ENV: 'development' }).dev).toBe(true);
    expect(readBrowserSecuritySettings({ NODE_ENV: 'production' }).dev).toBe(false);
  });

  it("lets the sign-in form post to the OpenID provider's origin, and only that", () => {
    const settings = readBrowserSecuritySettings({ HOOKYARD_OIDC_ISSUER: 'https://login.example.com/realms/acme/' });
    expect(settings.oidcIssuerOrigin).toBe('https://login.example.com');
    expect(directives(contentSecurityPolicy(settings, 'n'))['form-action']).toEqual(["'self'", 'https://login.example.com']);
    expect(readBrowserSecuritySettings({ HOOKYARD_OIDC_ISSUER: 'not a url' }).oidcIssuerOrigin).toBeNull();
    expect(readBrowserSecuritySettings({ HOOKYARD_OIDC_ISSUER: 'javascript:alert(1)' }).oidcIssuerOrigin).toBeNull();
  });

  it('sends HSTS only when the public URL is https', () => {
    expect(securityHeaders(readBrowserSecuritySettings({ HOOKYARD_PUBLIC_URL: 'https://hooks.example.com' }))['strict-transport-security']).toBe(
      'max-age=31536000',
    );
    expect(securityHeaders(readBrowserSecuritySettings({ HOOKYARD_PUBLIC_URL: 'http://hooks.example.com' }))).not.toHaveProperty('strict-transport-security');
    expect(securityHeaders(readBrowserSecuritySettings({}))).not.toHaveProperty('strict-transport-security');
  });

  it('carries the other headers on every response', () => {
    const headers = securityHeaders(plain, 'n');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['permissions-policy']).toMatch(/(^|, )camera=\(\)/);
    expect(headers['permissions-policy']).toMatch(/microphone=\(\)/);
    expect(headers['permissions-policy']).toMatch(/geolocation=\(\)/);
  });

  it('makes a new nonce each time, of 144 random bits', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(18);
  });
});

const lookup =
  (headers: Record<string, string>) =>
  (name: string): string | undefined =>
    headers[name];

describe('the same-origin rule', () => {
  const cookie = 'next-auth.session-token=abc';

  it('applies to cookie-carried mutations without an API key', () => {
    expect(needsOriginCheck('POST', lookup({ cookie }))).toBe(true);
    expect(needsOriginCheck('patch', lookup({ cookie }))).toBe(true);
    expect(needsOriginCheck('DELETE', lookup({ cookie }))).toBe(true);
    expect(needsOriginCheck('GET', lookup({ cookie }))).toBe(false);
    expect(needsOriginCheck('HEAD', lookup({ cookie }))).toBe(false);
    expect(needsOriginCheck('POST', lookup({ cookie, authorization: 'Bearer hky_x' }))).toBe(false);
    expect(needsOriginCheck('POST', lookup({}))).toBe(false);
  });

  it("accepts the request's own origin and Sec-Fetch-Site: same-origin", () => {
    expect(isFromOwnOrigin(lookup({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' }), plain)).toBe(true);
    expect(isFromOwnOrigin(lookup({ host: 'hooks.example.com', origin: 'https://hooks.example.com' }), plain, 'https')).toBe(true);
    expect(isFromOwnOrigin(lookup({ host: 'anything', 'sec-fetch-site': 'same-origin' }), plain)).toBe(true);
  });

  it('refuses foreign, sibling, null and missing origins', () => {
    const host = '127.0.0.1:3000';
    expect(isFromOwnOrigin(lookup({ host, origin: 'http://evil.example' }), plain)).toBe(false);
    expect(isFromOwnOrigin(lookup({ host: 'hooks.example.com', origin: 'http://tools.example.com' }), plain)).toBe(false);
    expect(isFromOwnOrigin(lookup({ host, origin: 'http://127.0.0.1:3001' }), plain)).toBe(false);
    expect(isFromOwnOrigin(lookup({ host, origin: 'https://127.0.0.1:3000' }), plain)).toBe(false);
    expect(isFromOwnOrigin(lookup({ host, origin: 'null' }), plain)).toBe(false);
    expect(isFromOwnOrigin(lookup({ host }), plain)).toBe(false);
    expect(isFromOwnOrigin(lookup({ host, 'sec-fetch-site': 'same-site' }), plain)).toBe(false);
    expect(isFromOwnOrigin(lookup({ host, 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' }), plain)).toBe(false);
    expect(isFromOwnOrigin(lookup({ host, 'sec-fetch-site': 'none' }), plain)).toBe(false);
  });

  it("accepts HOOKYARD_PUBLIC_URL's origin", () => {
    const settings = { ...plain, publicUrl: 'https://hooks.example.com/base' };
    expect(ownOrigins(lookup({ host: 'internal:3000' }), settings)).toEqual(new Set(['http://internal:3000', 'https://hooks.example.com']));
    expect(isFromOwnOrigin(lookup({ host: 'internal:3000', origin: 'https://hooks.example.com' }), settings)).toBe(true);
    expect(isFromOwnOrigin(lookup({ host: 'internal:3000', origin: 'https://evil.example' }), settings)).toBe(false);
  });

  it('believes X-Forwarded-Host/Proto only behind a trusted proxy', () => {
    const headers = lookup({ host: 'internal:3000', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', origin: 'https://evil.example' });
    expect(isFromOwnOrigin(headers, plain)).toBe(false);
    expect(isFromOwnOrigin(headers, { ...plain, trustProxy: true })).toBe(true);
    const proxied = lookup({
      host: 'internal:3000',
      'x-forwarded-host': 'hooks.example.com',
      'x-forwarded-proto': 'https, http',
      origin: 'https://hooks.example.com',
    });
    expect(isFromOwnOrigin(proxied, { ...plain, trustProxy: true })).toBe(true);
  });

  it('throws the 403 cross_origin error', () => {
    let thrown: unknown;
    try {
      assertSameOrigin('POST', lookup({ host: 'h', cookie, origin: 'http://evil.example' }), plain);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).status).toBe(403);
    expect((thrown as AppError).code).toBe('cross_origin');
    expect(() => assertSameOrigin('POST', lookup({ host: 'h', cookie, origin: 'http://h' }), plain)).not.toThrow();
    expect(() => assertSameOrigin('GET', lookup({ host: 'h', cookie, origin: 'http://evil.example' }), plain)).not.toThrow();
  });
});
