/**
 * The one answer to "at what URL do providers and people reach Hookyard?": `HOOKYARD_PUBLIC_URL`
 * when set, else what the request says. A proxy's `x-forwarded-proto` / `x-forwarded-host` are
 * believed only with `HOOKYARD_TRUST_PROXY=1` (any client can send them). Used by the ingest path
 * (URL-signing schemes), the JSON API and the pages (the ingest URLs they show).
 */
import { config } from '@/lib/config/env';

/** A request header by lower-case name. */
export type HeaderLookup = (name: string) => string | null | undefined;

/**
 * The public origin, without a trailing path. `requestOrigin` is the origin the request reached
 * (a `Request`'s URL), used when nothing better is known; without it, `http://` + its Host.
 */
export function publicBaseUrl(header: HeaderLookup, requestOrigin?: string): string {
  const { publicUrl, trustProxy } = config();
  if (publicUrl) return publicUrl;
  if (trustProxy) {
    const proto = header('x-forwarded-proto')?.split(',')[0]?.trim();
    const host = header('x-forwarded-host');
    if (proto !== undefined || host) return `${proto ?? 'http'}://${host ?? header('host') ?? 'localhost'}`;
  }
  return requestOrigin ?? `http://${header('host') ?? 'localhost'}`;
}

/**
 * The URL a provider called, as the provider saw it. Schemes that sign the URL (Twilio, Square,
 * HubSpot) need it exactly: behind a proxy, HOOKYARD_PUBLIC_URL supplies scheme and host.
 */
export function providerFacingUrl(pathAndQuery: string, headers: Record<string, string>): string {
  return `${publicBaseUrl((name) => headers[name])}${pathAndQuery}`;
}

/** The base of ingest URLs in the JSON API's answers. */
export function requestPublicBaseUrl(request: Request): string {
  return publicBaseUrl((name) => request.headers.get(name), new URL(request.url).origin);
}
