import { config } from '@/lib/config/env';

/**
 * The URL a provider called, as the provider saw it. Schemes that sign the URL (Twilio, Square,
 * HubSpot) need it exactly: behind a proxy, HOOKYARD_PUBLIC_URL supplies scheme and host.
 */
export function providerFacingUrl(pathAndQuery: string, headers: Record<string, string>): string {
  const { publicUrl, trustProxy } = config();
  if (publicUrl) return `${publicUrl}${pathAndQuery}`;
  const proto = trustProxy ? (headers['x-forwarded-proto']?.split(',')[0]?.trim() ?? 'http') : 'http';
  const host = (trustProxy ? headers['x-forwarded-host'] : undefined) ?? headers.host ?? 'localhost';
  return `${proto}://${host}${pathAndQuery}`;
}
