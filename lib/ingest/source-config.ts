/**
 * What the ingest path needs to know about a source, loaded once and cached for a few seconds:
 * the preset and its parsed settings, decrypted secrets, the compiled IP allowlist, and the
 * routes with their destinations (lib/db/config-cache.ts: a few seconds, cleared at once by a
 * NOTIFY on every configuration change).
 */
import { createConfigCache } from '@/lib/db/config-cache';
import { db } from '@/lib/db/prisma';
import { logger } from '@/lib/log/logger';
import { getProvider, isProviderId } from '@/lib/providers';
import type { ProviderPreset, VerificationSecret } from '@/lib/providers/types';
import { compileRoute } from '@/lib/routes/route-filter';
import { decryptSecret } from '@/lib/secrets/encryption';
import { compileAllowlist } from './ip-allowlist';
import { parseJsonPath } from './json-path';

/** Secrets that expired or were revoked this recently are tried after a failed verification, to tell "expired_secret" apart. */
const RECENTLY_EXPIRED_MS = 7 * 86_400_000;

export interface RouteTarget {
  routeId: string;
  destinationId: string;
  destinationStatus: 'active' | 'paused' | 'disabled';
  orderingPath: (string | number)[] | null;
  matches: (eventType: string | null, payload: unknown) => boolean;
}

export interface SourceConfig {
  id: string;
  slug: string;
  provider: string;
  preset: ProviderPreset<unknown>;
  settings: unknown;
  enabled: boolean;
  sizeLimitBytes: number;
  rateLimitPerSecond: number | null;
  allowIp: ((ip: string | null) => boolean) | null;
  dedupEnabled: boolean;
  dedupHeader: string | null;
  dedupPath: (string | number)[] | null;
  eventTypePath: (string | number)[] | null;
  activeSecrets: VerificationSecret[];
  /** Expiry per active secret, so a cached config never verifies with a secret past its expiry. */
  secretExpiries: Map<string, number>;
  recentlyExpiredSecrets: VerificationSecret[];
  routes: RouteTarget[];
  /** Headers that carry the source's own secret; never stored or forwarded. */
  secretBearingHeaders: string[];
}

function secretBearingHeaders(provider: string, settings: unknown): string[] {
  const headerSetting = (settings as { header?: unknown } | null)?.header;
  switch (provider) {
    case 'basic':
      return ['authorization'];
    case 'token':
      return [typeof headerSetting === 'string' ? headerSetting.toLowerCase() : 'x-webhook-token'];
    case 'gitlab':
      return ['x-gitlab-token'];
    default:
      return [];
  }
}

async function loadSourceConfig(slug: string, now: Date): Promise<SourceConfig | null> {
  const source = await db().source.findUnique({
    where: { slug },
    include: {
      secrets: {
        where: { revokedAt: null },
        select: { id: true, ciphertext: true, expiresAt: true, revokedAt: true },
      },
      routes: { where: { enabled: true }, include: { destination: { select: { id: true, status: true, orderingKey: true } } } },
    },
  });
  if (!source || !isProviderId(source.provider)) return null;
  const recentlyRevoked = await db().secret.findMany({
    where: { sourceId: source.id, revokedAt: { gt: new Date(now.getTime() - RECENTLY_EXPIRED_MS) } },
    select: { id: true, ciphertext: true },
  });
  const preset = getProvider(source.provider);
  const settingsResult = preset.settingsSchema.safeParse(source.verificationSettings ?? {});
  const settings = settingsResult.success ? settingsResult.data : preset.settingsSchema.parse({});
  if (!settingsResult.success) logger.warn({ source: source.slug }, 'stored verification settings are invalid; using defaults');

  const activeSecrets: VerificationSecret[] = [];
  const recentlyExpiredSecrets: VerificationSecret[] = [];
  const secretExpiries = new Map<string, number>();
  for (const secret of source.secrets) {
    const value = decryptSecret(secret.id, secret.ciphertext);
    if (!secret.expiresAt || secret.expiresAt > now) {
      activeSecrets.push({ id: secret.id, value });
      if (secret.expiresAt) secretExpiries.set(secret.id, secret.expiresAt.getTime());
    } else if (now.getTime() - secret.expiresAt.getTime() < RECENTLY_EXPIRED_MS) {
      recentlyExpiredSecrets.push({ id: secret.id, value });
    }
  }
  for (const secret of recentlyRevoked) recentlyExpiredSecrets.push({ id: secret.id, value: decryptSecret(secret.id, secret.ciphertext) });

  return {
    id: source.id,
    slug: source.slug,
    provider: source.provider,
    preset,
    settings,
    enabled: source.status === 'active',
    sizeLimitBytes: source.sizeLimitBytes,
    rateLimitPerSecond: source.rateLimitPerSecond,
    allowIp: compileAllowlist(source.ipAllowlist),
    dedupEnabled: source.dedupEnabled,
    dedupHeader: source.dedupHeader?.toLowerCase() ?? null,
    dedupPath: source.dedupJsonPath ? parseJsonPath(source.dedupJsonPath) : null,
    eventTypePath: source.eventTypeJsonPath ? parseJsonPath(source.eventTypeJsonPath) : null,
    activeSecrets,
    secretExpiries,
    recentlyExpiredSecrets,
    routes: source.routes
      .filter((route) => route.destination.status !== 'disabled')
      .map((route) => ({
        routeId: route.id,
        destinationId: route.destinationId,
        destinationStatus: route.destination.status,
        orderingPath: route.destination.orderingKey ? parseJsonPath(route.destination.orderingKey) : null,
        matches: compileRoute({ eventTypes: route.eventTypes, filter: route.filter }),
      })),
    secretBearingHeaders: secretBearingHeaders(source.provider, settings),
  };
}

const cache = createConfigCache((slug) => loadSourceConfig(slug, new Date()));

export function clearSourceCache(): void {
  cache.clear();
}

/** The source's ingest configuration, or null when there is no such source. */
export function getSourceConfig(slug: string, now = new Date()): Promise<SourceConfig | null> {
  return cache.get(slug, now.getTime());
}
