/**
 * The audit log, newest first (`created_at DESC, id DESC`), keyset-paginated (never OFFSET), with
 * filters that each have an index (docs/data-model.md):
 *  - `actor`: a user or API key id → `audit_logs (actor_id, created_at DESC)`; `system` → actor type;
 *    anything else is matched against the label kept at the time (an email, or a deleted key's name);
 *  - `action`: exact (`alert.resolve`) → `(action, created_at DESC)`, or a prefix (`alert.*`);
 *  - `targetType` and `targetId` → `(target_type, target_id, created_at DESC)`.
 * The keyset condition repeats `created_at <= cursor` so each index range starts at the cursor.
 *
 * Every role may read the log: entries never hold secret values (record-audit's callers store
 * hints and ids, never the values), and the contract (docs/contract.md) lets VIEWER read everything but secret values.
 */
import { z } from 'zod';
import { db, type Prisma } from '@/lib/db/prisma';
import { decodeCursor, encodeCursor } from '@/lib/db/paging';
import { AppError } from '@/lib/http/errors';

export const DEFAULT_AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_PAGE_SIZE = 200;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((value) => (value ? value : undefined));

export const listAuditQuerySchema = z.strictObject({
  actor: optionalText(320),
  action: optionalText(100).refine((value) => !value || !value.slice(0, -1).includes('*'), {
    message: 'Only a trailing * is allowed (alert.* matches alert.resolve)',
  }),
  targetType: optionalText(100),
  targetId: optionalText(200),
  cursor: optionalText(200),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE_SIZE).default(DEFAULT_AUDIT_PAGE_SIZE),
});
export type ListAuditQuery = z.infer<typeof listAuditQuerySchema>;
export type AuditFilter = Omit<ListAuditQuery, 'cursor' | 'limit'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditEntryView {
  id: string;
  createdAt: Date;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

function actorCondition(actor: string): Prisma.AuditLogWhereInput {
  if (UUID.test(actor)) return { actorId: actor.toLowerCase() };
  if (actor === 'system') return { actorType: 'system' };
  return { actorLabel: actor };
}

function actionCondition(action: string): Prisma.AuditLogWhereInput {
  if (action === '*') return {};
  if (action.endsWith('*')) return { action: { startsWith: action.slice(0, -1) } };
  return { action };
}

export function auditWhere(filter: AuditFilter): Prisma.AuditLogWhereInput {
  return {
    ...(filter.actor ? actorCondition(filter.actor) : {}),
    ...(filter.action ? actionCondition(filter.action) : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.targetId ? { targetId: filter.targetId } : {}),
  };
}

export async function listAudit(query: ListAuditQuery): Promise<{ data: AuditEntryView[]; nextCursor: string | null }> {
  let after: { at: Date; id: string } | null = null;
  if (query.cursor) {
    after = decodeCursor(query.cursor);
    if (!after) throw new AppError('invalid_input', 'cursor: not a cursor from a previous page', [{ path: 'cursor', message: 'invalid' }]);
  }
  const where: Prisma.AuditLogWhereInput = {
    ...auditWhere(query),
    ...(after ? { createdAt: { lte: after.at }, OR: [{ createdAt: { lt: after.at } }, { id: { lt: after.id } }] } : {}),
  };
  const rows = await db().auditLog.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit + 1 });
  const more = rows.length > query.limit;
  const data: AuditEntryView[] = rows.slice(0, query.limit).map((row) => ({
    id: row.id,
    createdAt: row.createdAt,
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    before: row.before,
    after: row.after,
    ip: row.ip,
  }));
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
}

/**
 * Distinct values of an indexed column, read as a loose index scan (one index probe per value),
 * so listing the dozens of actions costs dozens of probes, not a scan of the log.
 */
async function distinctValues(column: 'action' | 'target_type', max: number): Promise<string[]> {
  const rows =
    column === 'action'
      ? await db().$queryRaw<{ value: string }[]>`
          WITH RECURSIVE v AS (
            (SELECT action AS value FROM audit_logs ORDER BY action LIMIT 1)
            UNION ALL
            SELECT (SELECT action FROM audit_logs WHERE action > v.value ORDER BY action LIMIT 1) FROM v WHERE v.value IS NOT NULL
          )
          SELECT value FROM v WHERE value IS NOT NULL LIMIT ${max}`
      : await db().$queryRaw<{ value: string }[]>`
          WITH RECURSIVE v AS (
            (SELECT target_type AS value FROM audit_logs ORDER BY target_type LIMIT 1)
            UNION ALL
            SELECT (SELECT target_type FROM audit_logs WHERE target_type > v.value ORDER BY target_type LIMIT 1) FROM v WHERE v.value IS NOT NULL
          )
          SELECT value FROM v WHERE value IS NOT NULL LIMIT ${max}`;
  return rows.map((row) => row.value);
}

export interface AuditActorOption {
  value: string;
  label: string;
  kind: 'user' | 'api_key' | 'system';
}

/** What the filters can offer: people and API keys (by id), the actions and target types in the log. */
export async function loadAuditFilterOptions(): Promise<{ actors: AuditActorOption[]; actions: string[]; targetTypes: string[] }> {
  const [users, keys, actions, targetTypes] = await Promise.all([
    db().user.findMany({ select: { id: true, email: true }, orderBy: { email: 'asc' } }),
    db().apiKey.findMany({ select: { id: true, name: true, prefix: true }, orderBy: { name: 'asc' } }),
    distinctValues('action', 200),
    distinctValues('target_type', 100),
  ]);
  return {
    actors: [
      ...users.map((user) => ({ value: user.id, label: user.email, kind: 'user' as const })),
      ...keys.map((key) => ({ value: key.id, label: `API key ${key.name} (${key.prefix}…)`, kind: 'api_key' as const })),
      { value: 'system', label: 'System (Hookyard itself)', kind: 'system' as const },
    ],
    actions,
    targetTypes,
  };
}
