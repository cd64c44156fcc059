/**
 * What the ingest path needs to know about a source, loaded once and cached for a few seconds:
 * the preset and its parsed settings, decrypted secrets, the compiled IP allowlist, and the
 * routes with their destinations (lib/db/config-cache.ts: a few seconds, cleared at once by a
 * NOTIFY on every configuration change).
 */
import { createConfigCache } from '@/lib/db/config-cache';
import { sql } from '@/lib/db/sql';
import { parseJsonPath } from '@/lib/json-path/json-path';
import { logger } from '@/lib/log/logger';
import { getProvider, isProviderId } from '@/lib/providers';
import type { ProviderPreset, VerificationSecret } from '@/lib/providers/types';
import { compileRoute } from '@/lib/routes/route-filter';
import { loadVerificationSecrets } from '@/lib/secrets/verification-secrets';
import { compileAllowlist } from './ip-allowlist';

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
  /** Headers that carry the source's own secret (declared by its provider): stored without their value, never forwarded. */
  secretBearingHeaders: string[];
}

interface SourceRow {
  id: string;
  slug: string;
  provider: string;
  verification_settings: unknown;
  status: string;
  size_limit_bytes: number;
  rate_limit_per_second: number | null;
  ip_allowlist: string[];
  dedup_header: string | null;
  dedup_json_path: string | null;
  dedup_enabled: boolean;
  event_type_json_path: string | null;
}

interface RouteRow {
  id: string;
  destination_id: string;
  event_types: string[];
  filter: unknown;
  destination_status: 'active' | 'paused' | 'disabled';
  ordering_key: string | null;
}

// postgres.js, not Prisma (here and in loadVerificationSecrets): the ingest process (server.ts)
// then never loads Prisma's query engine (~50 MB of its memory, and a slow first request).
async function loadSourceConfig(slug: string, now: Date): Promise<SourceConfig | null> {
  const [source] = await sql()<SourceRow[]>`
    SELECT id, slug, provider, verification_settings, status, size_limit_bytes, rate_limit_per_second, ip_allowlist,
           dedup_header, dedup_json_path, dedup_enabled, event_type_json_path
    FROM sources WHERE slug = ${slug}`;
  if (!source || !isProviderId(source.provider)) return null;
  const [secrets, routes] = await Promise.all([
    loadVerificationSecrets(source.id, now),
    sql()<RouteRow[]>`
      SELECT r.id, r.destination_id, r.event_types, r.filter, d.status AS destination_status, d.ordering_key
      FROM routes r JOIN destinations d ON d.id = r.destination_id
      WHERE r.source_id = ${source.id} AND r.enabled AND d.status <> 'disabled'
      ORDER BY r.id`,
  ]);
  const preset = getProvider(source.provider);
  const settingsResult = preset.settingsSchema.safeParse(source.verification_settings ?? {});
  const settings = settingsResult.success ? settingsResult.data : preset.settingsSchema.parse({});
  if (!settingsResult.success) logger.warn({ source: source.slug }, 'stored verification settings are invalid; using defaults');

  return {
    id: source.id,
    slug: source.slug,
    provider: source.provider,
    preset,
    settings,
    enabled: source.status === 'active',
    sizeLimitBytes: source.size_limit_bytes,
    rateLimitPerSecond: source.rate_limit_per_second,
    allowIp: compileAllowlist(source.ip_allowlist),
    dedupEnabled: source.dedup_enabled,
    dedupHeader: source.dedup_header?.toLowerCase() ?? null,
    dedupPath: source.dedup_json_path ? parseJsonPath(source.dedup_json_path) : null,
    eventTypePath: source.event_type_json_path ? parseJsonPath(source.event_type_json_path) : null,
    activeSecrets: secrets.active,
    secretExpiries: secrets.expiries,
    recentlyExpiredSecrets: secrets.recentlyExpired,
    routes: routes.map((route) => ({
      routeId: route.id,
      destinationId: route.destination_id,
      destinationStatus: route.destination_status,
      orderingPath: route.ordering_key ? parseJsonPath(route.ordering_key) : null,
      matches: compileRoute({ eventTypes: route.event_types, filter: route.filter }),
    })),
    secretBearingHeaders: [...(preset.secretHeaders?.(settings) ?? [])],
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
