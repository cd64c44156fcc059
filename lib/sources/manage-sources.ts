/**
 * Sources: where providers send webhooks. Create, list, read, change, disable (never delete: a
 * source's events stay). Each change is audited and announced to the ingest caches.
 */
import { z, ZodError } from 'zod';
import { effectiveSourceAlertSettings, mergeSourceAlertSettings, type SourceAlertSettings } from '@/lib/alerts/alert-settings';
import { lastAcceptedEventTimes, type SourceSilence, silenceOf } from '@/lib/alerts/rules/source-silence';
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { isUniqueViolation } from '@/lib/db/errors';
import { isUuid } from '@/lib/db/ids';
import { db, type Prisma } from '@/lib/db/prisma';
import { sql } from '@/lib/db/sql';
import { conflict, notFound } from '@/lib/http/errors';
import { getProvider } from '@/lib/providers';
import type { ProviderId } from '@/lib/providers/types';
import { listSecretMetadata, type SecretMetadata, SECRET_METADATA_SELECT, toSecretMetadata } from '@/lib/secrets/secret-metadata';
import type { CreateSourceInput, UpdateSourceInput } from './sources.schema';

export const SOURCE_SELECT = {
  id: true,
  name: true,
  slug: true,
  provider: true,
  verificationSettings: true,
  status: true,
  sizeLimitBytes: true,
  rateLimitPerSecond: true,
  ipAllowlist: true,
  dedupHeader: true,
  dedupJsonPath: true,
  dedupEnabled: true,
  eventTypeJsonPath: true,
  alertSettings: true,
  createdAt: true,
  updatedAt: true,
  disabledAt: true,
} as const;

type SourceRow = Prisma.SourceGetPayload<{ select: typeof SOURCE_SELECT }>;

export interface SourceView {
  id: string;
  name: string;
  slug: string;
  provider: string;
  providerLabel: string;
  /** False for the `none` provider: requests are accepted unverified. */
  verifies: boolean;
  settings: unknown;
  status: 'active' | 'disabled';
  sizeLimitBytes: number;
  rateLimitPerSecond: number | null;
  ipAllowlist: string[];
  dedupHeader: string | null;
  dedupJsonPath: string | null;
  dedupEnabled: boolean;
  eventTypeJsonPath: string | null;
  /** The alert rules' settings, defaults filled in (lib/alerts/alert-settings.ts). */
  alertSettings: SourceAlertSettings;
  /** Whether it has gone silent; null when it is not watched (no expectedEvery, or disabled). */
  silence: SourceSilence | null;
  createdAt: Date;
  updatedAt: Date;
  disabledAt: Date | null;
  /** Where the provider must POST. */
  ingestUrl: string;
  /** Metadata only; values are never part of a source. */
  secrets: SecretMetadata[];
}

export const ingestUrlFor = (baseUrl: string, slug: string) => `${baseUrl.replace(/\/+$/, '')}/api/ingest/${slug}`;

function providerLabel(provider: string): string {
  try {
    return getProvider(provider).label;
  } catch {
    return provider;
  }
}

function toSourceView(row: SourceRow, secrets: SecretMetadata[], baseUrl: string, lastEventAt: Date | null = null, now = new Date()): SourceView {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    provider: row.provider,
    providerLabel: providerLabel(row.provider),
    verifies: row.provider !== 'none',
    settings: row.verificationSettings,
    status: row.status,
    sizeLimitBytes: row.sizeLimitBytes,
    rateLimitPerSecond: row.rateLimitPerSecond,
    ipAllowlist: row.ipAllowlist,
    dedupHeader: row.dedupHeader,
    dedupJsonPath: row.dedupJsonPath,
    dedupEnabled: row.dedupEnabled,
    eventTypeJsonPath: row.eventTypeJsonPath,
    alertSettings: effectiveSourceAlertSettings(row.alertSettings),
    silence: silenceOf(row, lastEventAt, now),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    disabledAt: row.disabledAt,
    ingestUrl: ingestUrlFor(baseUrl, row.slug),
    secrets,
  };
}

/** The audit log's copy of a source: configuration only (no secrets, no URL). */
const auditCopy = ({ createdAt: _created, updatedAt: _updated, ...config }: SourceRow) => config;

/**
 * Validates `settings` against the preset's schema, strictly (an unknown key is a 422 like
 * everywhere else), and returns what is stored: the parsed settings with the preset's defaults.
 */
export function parseSourceSettings(provider: ProviderId | string, raw: unknown): Record<string, unknown> {
  const schema = getProvider(provider).settingsSchema;
  const strict = schema instanceof z.ZodObject ? schema.strict() : schema;
  const result = strict.safeParse(raw ?? {});
  if (!result.success) {
    throw new ZodError(result.error.issues.map((issue) => ({ ...issue, path: ['settings', ...issue.path] })));
  }
  return result.data as Record<string, unknown>;
}

/** A slug from a name: "Stripe (prod) – EU" → "stripe-prod-eu". */
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug || 'source';
}

/** Every source's slug, for the new-source form's URL preview (a derived slug that is taken gets a suffix). */
export async function listSourceSlugs(): Promise<string[]> {
  return (await db().source.findMany({ select: { slug: true } })).map((source) => source.slug);
}

/** The base itself when free, else the first free `base-2`, `base-3`, … */
async function freeSlug(base: string): Promise<string> {
  const taken = new Set((await db().source.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((source) => source.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function withSecrets(rows: SourceRow[], baseUrl: string): Promise<SourceView[]> {
  const secrets = await db().secret.findMany({
    where: { sourceId: { in: rows.map((row) => row.id) } },
    select: { ...SECRET_METADATA_SELECT, sourceId: true },
    orderBy: { createdAt: 'desc' },
  });
  const now = new Date();
  const bySource = new Map<string, SecretMetadata[]>();
  for (const { sourceId, ...secret } of secrets) {
    if (!sourceId) continue;
    const list = bySource.get(sourceId) ?? [];
    list.push(toSecretMetadata(secret, now));
    bySource.set(sourceId, list);
  }
  const lastEvents = await lastEventsOfWatched(rows);
  return rows.map((row) => toSourceView(row, bySource.get(row.id) ?? [], baseUrl, lastEvents.get(row.id) ?? null, now));
}

/** The newest accepted event of each watched source (one index probe each), for its silence state. */
function lastEventsOfWatched(rows: SourceRow[]): Promise<Map<string, Date>> {
  const watched = rows.filter((row) => row.status === 'active' && effectiveSourceAlertSettings(row.alertSettings).expectedEvery !== null);
  return lastAcceptedEventTimes(
    sql(),
    watched.map((row) => row.id),
  );
}

async function toSourceViewOf(row: SourceRow, baseUrl: string): Promise<SourceView> {
  const [secrets, lastEvents] = await Promise.all([listSecretMetadata({ sourceId: row.id }), lastEventsOfWatched([row])]);
  return toSourceView(row, secrets, baseUrl, lastEvents.get(row.id) ?? null);
}

export async function listSources(baseUrl: string): Promise<SourceView[]> {
  const rows = await db().source.findMany({ select: SOURCE_SELECT, orderBy: { createdAt: 'asc' } });
  return withSecrets(rows, baseUrl);
}

/** The source, or a 404 (also for ids that are not UUIDs). */
export async function getSourceOrThrow(id: string, baseUrl: string): Promise<SourceView> {
  if (!isUuid(id)) throw notFound('Source');
  const row = await db().source.findUnique({ where: { id }, select: SOURCE_SELECT });
  if (!row) throw notFound('Source');
  return toSourceViewOf(row, baseUrl);
}

function slugConflict(slug: string) {
  return conflict(`The slug "${slug}" is already used by another source; choose another`);
}

export async function createSource(input: CreateSourceInput, actor: Principal, baseUrl: string, ip?: string | null): Promise<SourceView> {
  const settings = parseSourceSettings(input.provider, input.settings);
  const alertSettings = mergeSourceAlertSettings({}, input.alertSettings ?? {}, new Date());
  const base = input.slug ?? slugFromName(input.name);
  // A generated slug that is taken gets a numeric suffix; a chosen one is a 409. Two creations
  // racing for the same generated slug retry with the next free one.
  for (let attempt = 0; ; attempt++) {
    const slug = input.slug ?? (await freeSlug(base));
    try {
      const row = await db().$transaction(async (tx) => {
        const created = await tx.source.create({
          data: {
            name: input.name,
            slug,
            provider: input.provider,
            verificationSettings: settings as Prisma.InputJsonObject,
            sizeLimitBytes: input.sizeLimitBytes,
            rateLimitPerSecond: input.rateLimitPerSecond ?? null,
            ipAllowlist: input.ipAllowlist ?? [],
            dedupHeader: input.dedupHeader ?? null,
            dedupJsonPath: input.dedupJsonPath ?? null,
            dedupEnabled: input.dedupEnabled,
            eventTypeJsonPath: input.eventTypeJsonPath ?? null,
            alertSettings: alertSettings as Prisma.InputJsonObject,
          },
          select: SOURCE_SELECT,
        });
        await recordAudit(actor, { action: 'source.create', targetType: 'source', targetId: created.id, after: auditCopy(created), ip }, tx);
        await notifyConfigChanged(tx);
        return created;
      });
      return toSourceView(row, [], baseUrl);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (input.slug || attempt >= 4) throw slugConflict(slug);
    }
  }
}

export async function updateSource(id: string, input: UpdateSourceInput, actor: Principal, baseUrl: string, ip?: string | null): Promise<SourceView> {
  if (!isUuid(id)) throw notFound('Source');
  try {
    const row = await db().$transaction(async (tx) => {
      // Locked first: alertSettings are merged into what is stored, and two forms saving at once must not lose one.
      await tx.$queryRaw`SELECT 1 FROM sources WHERE id = ${id}::uuid FOR UPDATE`;
      const before = await tx.source.findUnique({ where: { id }, select: SOURCE_SELECT });
      if (!before) throw notFound('Source');
      const provider = input.provider ?? before.provider;
      // New settings are validated against the (possibly new) provider; a provider change
      // without settings starts from that provider's defaults, since the old ones may not fit.
      const settings =
        input.settings !== undefined
          ? parseSourceSettings(provider, input.settings)
          : input.provider !== undefined && input.provider !== before.provider
            ? parseSourceSettings(provider, {})
            : undefined;
      const now = new Date();
      const after = await tx.source.update({
        where: { id },
        data: {
          name: input.name,
          slug: input.slug,
          provider: input.provider,
          verificationSettings: settings as Prisma.InputJsonObject | undefined,
          status: input.status,
          disabledAt: input.status === 'disabled' ? (before.disabledAt ?? now) : input.status === 'active' ? null : undefined,
          sizeLimitBytes: input.sizeLimitBytes,
          rateLimitPerSecond: input.rateLimitPerSecond,
          ipAllowlist: input.ipAllowlist,
          dedupHeader: input.dedupHeader,
          dedupJsonPath: input.dedupJsonPath,
          dedupEnabled: input.dedupEnabled,
          eventTypeJsonPath: input.eventTypeJsonPath,
          alertSettings:
            input.alertSettings !== undefined
              ? (mergeSourceAlertSettings(before.alertSettings, input.alertSettings, now) as Prisma.InputJsonObject)
              : undefined,
        },
        select: SOURCE_SELECT,
      });
      const action =
        input.status === 'disabled' && before.status !== 'disabled'
          ? 'source.disable'
          : input.status === 'active' && before.status !== 'active'
            ? 'source.enable'
            : 'source.update';
      await recordAudit(actor, { action, targetType: 'source', targetId: id, before: auditCopy(before), after: auditCopy(after), ip }, tx);
      await notifyConfigChanged(tx);
      return after;
    });
    return toSourceViewOf(row, baseUrl);
  } catch (error) {
    if (isUniqueViolation(error)) throw slugConflict(input.slug ?? '');
    throw error;
  }
}

/** `DELETE /api/v1/sources/{id}`: the source stops accepting requests (404 at ingest); its data stays. */
export async function disableSource(id: string, actor: Principal, baseUrl: string, ip?: string | null): Promise<SourceView> {
  if (!isUuid(id)) throw notFound('Source');
  const row = await db().$transaction(async (tx) => {
    const before = await tx.source.findUnique({ where: { id }, select: SOURCE_SELECT });
    if (!before) throw notFound('Source');
    if (before.status === 'disabled') return before;
    const after = await tx.source.update({ where: { id }, data: { status: 'disabled', disabledAt: new Date() }, select: SOURCE_SELECT });
    await recordAudit(actor, { action: 'source.disable', targetType: 'source', targetId: id, before: auditCopy(before), after: auditCopy(after), ip }, tx);
    await notifyConfigChanged(tx);
    return after;
  });
  return toSourceViewOf(row, baseUrl);
}
