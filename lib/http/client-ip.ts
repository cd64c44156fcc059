/**
 * The client's address. Hookyard's own server (server.ts) writes the socket address into
 * `x-hookyard-client-ip`, overwriting whatever the client sent, so that header can be trusted.
 * Behind a reverse proxy, set HOOKYARD_TRUST_PROXY=true (or 1, yes, on) to use the first
 * X-Forwarded-For hop.
 */
import { trustProxy as trustProxySetting } from '@/lib/config/settings';

export const CLIENT_IP_HEADER = 'x-hookyard-client-ip';

type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | null {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name);
  }
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** Strip the IPv4-mapped IPv6 prefix so allowlists and throttles see one form. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

export function clientIp(headers: HeaderSource, trustProxy = trustProxySetting()): string | null {
  if (trustProxy) {
    const forwarded = header(headers, 'x-forwarded-for');
    const first = forwarded?.split(',')[0]?.trim();
    if (first) return normalizeIp(first);
  }
  const own = header(headers, CLIENT_IP_HEADER);
  return own ? normalizeIp(own) : null;
}
