/**
 * Every mutation writes one audit entry: who, what, when, and before/after where that applies.
 * Pass the transaction client when the change itself runs in a transaction, so that the entry
 * commits with it or not at all.
 */
import type { Principal } from '@/lib/auth/principal';
import type { Prisma } from '@/lib/db/generated/client';
import { db } from '@/lib/db/prisma';
import { logger } from '@/lib/log/logger';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

/**
 * An actor that is not a principal: the system itself ('system'), or a named part of it, such as
 * single sign-on creating a user ("sso") or a sign-in attempt by someone not yet known ("anonymous").
 */
export type SystemActor = 'system' | { kind: 'system'; label: string };

type AuditWriter = Pick<Prisma.TransactionClient, 'auditLog'>;

function json(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

export async function recordAudit(actor: Principal | SystemActor, entry: AuditEntry, client: AuditWriter = db()): Promise<void> {
  const label = actor === 'system' ? 'system' : actor.label;
  // The log line names the change only; before/after stay in the database.
  logger.info({ actor: label, action: entry.action, target: `${entry.targetType}:${entry.targetId ?? ''}` }, 'audit');
  await client.auditLog.create({
    data: {
      actorType: actor === 'system' ? 'system' : actor.kind,
      actorId: actor === 'system' || actor.kind === 'system' ? null : actor.id,
      actorLabel: label,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      before: json(entry.before),
      after: json(entry.after),
      ip: entry.ip ?? null,
    },
  });
}
