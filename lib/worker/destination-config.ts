/** What the worker needs to send to a destination, cached briefly (lib/db/config-cache.ts). */
import { createConfigCache } from '@/lib/db/config-cache';
import { db } from '@/lib/db/prisma';
import { loadSigningSecrets } from '@/lib/secrets/signing-secrets';
import { effectiveRetrySchedule } from '@/lib/destinations/retry-schedule';
import { fullUrl, maskedUrl } from '@/lib/destinations/broker-url';
import type { TransportDestination } from '@/lib/transports/transport';

export interface DestinationConfig extends TransportDestination {
  id: string;
  /** For the attempt spans (lib/tracing). */
  name: string;
  /** With a broker URL's password restored (lib/destinations/broker-url.ts); `displayUrl` masks it. */
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  retrySchedule: number[];
  rateLimitPerSecond: number | null;
  status: 'active' | 'paused' | 'disabled';
  signingSecrets: string[];
}

/** Uncached: what a send to this destination would use right now (a test send reads it fresh). */
export async function loadDestination(id: string): Promise<DestinationConfig | null> {
  const destination = await db().destination.findUnique({ where: { id } });
  if (!destination) return null;
  const secrets = await loadSigningSecrets(id);
  const headers: Record<string, string> = {};
  if (destination.headers && typeof destination.headers === 'object' && !Array.isArray(destination.headers)) {
    for (const [name, value] of Object.entries(destination.headers)) if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  return {
    id,
    name: destination.name,
    url: fullUrl(id, destination.url, destination.urlPassword),
    displayUrl: maskedUrl(destination.url, destination.urlPassword !== null),
    options: destination.options && typeof destination.options === 'object' ? (destination.options as Record<string, unknown>) : {},
    headers,
    timeoutMs: destination.timeoutMs,
    rateLimitPerSecond: destination.rateLimitPerSecond,
    retrySchedule: [...effectiveRetrySchedule(destination.retrySchedule)],
    status: destination.status,
    signingSecrets: secrets.map((secret) => secret.value),
  };
}

const cache = createConfigCache(loadDestination);

export function getDestinationConfig(id: string): Promise<DestinationConfig | null> {
  return cache.get(id);
}

/**
 * Runs both of loadDestination's queries once (for no destination), so that a new process pays
 * its database client's start-up before it claims anything rather than between a claim and its
 * send, where the delay would bunch a rate-limited destination's requests together.
 */
export async function warmUpDestinationConfig(): Promise<void> {
  const none = '00000000-0000-0000-0000-000000000000';
  await Promise.all([db().destination.findUnique({ where: { id: none } }), loadSigningSecrets(none)]);
}

export function clearDestinationCache(): void {
  cache.clear();
}
