/**
 * The CSRF rule (SPEC "Browser security", docs/security.md): a mutation authenticated by the
 * session cookie (any /api/v1 call but GET and HEAD, and every server action) must come from the
 * dashboard's own pages. The browser says where a request comes from in two headers a page
 * cannot forge: `Origin`, and `Sec-Fetch-Site` (computed by the browser itself, so it stays right
 * behind a proxy that rewrites the Host). Either one proving the dashboard's own origin lets the
 * request through; a cookie with neither is refused. SameSite=Lax cookies alone leave same-site
 * attackers (a sibling subdomain, an internal tool) free to post a `text/plain` form.
 *
 * The dashboard's own origin: the origin the request was sent to (its Host, with the scheme the
 * server saw), HOOKYARD_PUBLIC_URL's origin, and, only with HOOKYARD_TRUST_PROXY, what
 * X-Forwarded-Proto/Host say (any client could send those). A request with an Authorization
 * header is a script with an API key: a page cannot make a browser attach one cross-site, so
 * the rule does not apply. Neither does it to requests without cookies: those have no
 * ambient authority to abuse.
 */
import type { BrowserSecuritySettings } from '@/lib/config/browser-security';
import { AppError } from './errors';
import type { HeaderLookup } from './public-url';

type OriginSettings = Pick<BrowserSecuritySettings, 'publicUrl' | 'trustProxy'>;

export const CROSS_ORIGIN_MESSAGE =
  'A signed-in change must come from the dashboard itself: this request came from another origin (or said nothing about its origin). Scripts use an API key.';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Every origin that is the dashboard's own for this request. `scheme` is what the server saw ("http" or "https"). */
export function ownOrigins(header: HeaderLookup, settings: OriginSettings, scheme = 'http'): Set<string> {
  const origins = new Set<string>();
  const add = (url: string | null) => {
    const origin = url ? originOf(url) : null;
    if (origin) origins.add(origin);
  };
  const host = header('host');
  if (host) add(`${scheme}://${host}`);
  if (settings.publicUrl) add(settings.publicUrl);
  if (settings.trustProxy) {
    const proto = header('x-forwarded-proto')?.split(',')[0]?.trim() || scheme;
    const forwardedHost = header('x-forwarded-host')?.split(',')[0]?.trim() || host;
    if (forwardedHost) add(`${proto}://${forwardedHost}`);
  }
  return origins;
}

/** Whether the browser says the request comes from the dashboard's own pages. */
export function isFromOwnOrigin(header: HeaderLookup, settings: OriginSettings, scheme = 'http'): boolean {
  if (header('sec-fetch-site')?.trim().toLowerCase() === 'same-origin') return true;
  const origin = header('origin')?.trim();
  // "null" (a sandboxed frame, a redirect across origins) is not anyone's origin.
  if (!origin || origin === 'null') return false;
  const normalized = originOf(origin);
  return normalized !== null && ownOrigins(header, settings, scheme).has(normalized);
}

/** Whether the rule applies: a method that may change something, carried by cookies, without an API key. */
export function needsOriginCheck(method: string, header: HeaderLookup): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  if (header('authorization')) return false;
  return Boolean(header('cookie')?.trim());
}

export function crossOriginError(): AppError {
  return new AppError('cross_origin', CROSS_ORIGIN_MESSAGE);
}

/** Throws the 403 `cross_origin` error when the rule applies and the request is not from the dashboard. */
export function assertSameOrigin(method: string, header: HeaderLookup, settings: OriginSettings, scheme = 'http'): void {
  if (needsOriginCheck(method, header) && !isFromOwnOrigin(header, settings, scheme)) throw crossOriginError();
}
