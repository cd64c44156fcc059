/**
 * Runs before Next.js handles a request (Next.js 16's middleware). Three jobs:
 * - the browser-security headers (lib/http/security-headers.ts) on every response, with a fresh
 *   nonce per page: the request carries the policy too, so that Next.js puts the nonce on its
 *   own scripts (app/layout.tsx renders every page per request, which nonces need);
 * - the CSRF rule (lib/http/same-origin.ts) for server actions and other page POSTs, answered
 *   with a 403 here, before Next.js decodes the action (its own check would answer a foreign
 *   Origin with a 500, and lets a missing one through); the JSON API applies the same rule in its
 *   wrapper (lib/api/api-route.ts), where it can answer with the API's error shape;
 * - signed-out visitors of dashboard pages go to /login. That is only the friendly redirect: the
 *   real checks (active user, role) run on the server in every page, route and action.
 */
import { getToken } from 'next-auth/jwt';
import { browserSecuritySettings } from '@/lib/config/browser-security';
import { authSecret } from '@/lib/config/settings';
import { isFromOwnOrigin, needsOriginCheck, crossOriginError } from '@/lib/http/same-origin';
import { newNonce, securityHeaders } from '@/lib/http/security-headers';
import { type NextRequest, NextResponse } from 'next/server';

/** Pages anyone may see signed out. */
const PUBLIC_PAGES = ['/login'];

function withHeaders(response: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export async function proxy(request: NextRequest) {
  const settings = browserSecuritySettings();
  const { pathname } = request.nextUrl;
  const header = (name: string) => request.headers.get(name);

  // JSON API, next-auth's routes and static assets: the header set, no nonce (nothing is rendered).
  if (pathname.startsWith('/api/') || pathname.startsWith('/_next/') || /\.[a-z0-9]+$/i.test(pathname)) {
    return withHeaders(NextResponse.next(), securityHeaders(settings));
  }

  if (needsOriginCheck(request.method, header) && !isFromOwnOrigin(header, settings, request.nextUrl.protocol.replace(/:$/, ''))) {
    const error = crossOriginError();
    return withHeaders(NextResponse.json({ error: { code: error.code, message: error.message } }, { status: error.status }), securityHeaders(settings));
  }

  const nonce = newNonce();
  const headers = securityHeaders(settings, nonce);
  if (!PUBLIC_PAGES.includes(pathname)) {
    const token = await getToken({ req: request, secret: authSecret() });
    if (!token) {
      const login = new URL('/login', request.url);
      const target = `${pathname}${request.nextUrl.search}`;
      if (target !== '/') login.searchParams.set('callbackUrl', target);
      return withHeaders(NextResponse.redirect(login), headers);
    }
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', headers['content-security-policy']!);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
}

export const config = {
  // Everything but the provider-facing ingest route (server.ts answers most of it without Next.js;
  // its answers go to providers, not browsers, and its bodies must not be buffered twice).
  matcher: ['/((?!api/ingest/).*)'],
};
