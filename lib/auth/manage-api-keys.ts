/** Listing, creating and revoking API keys, each audited. */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { db } from '@/lib/db/prisma';
import { notFound } from '@/lib/http/errors';
import type { CreateApiKeyInput } from '@/lib/users/users.schema';
import { createApiKey } from './api-keys';

const PUBLIC_KEY_SELECT = {
  id: true,
  name: true,
  prefix: true,
  role: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdBy: { select: { email: true } },
} as const;

export function listApiKeys() {
  return db().apiKey.findMany({ select: PUBLIC_KEY_SELECT, orderBy: { createdAt: 'desc' } });
}

/** Returns the key itself once; only its hash is stored. */
export async function issueApiKey(input: CreateApiKeyInput, actor: Principal | 'system', ip?: string | null) {
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const { key, record } = await createApiKey({
    name: input.name,
    role: input.role,
    createdById: actor !== 'system' && actor.kind === 'user' ? actor.id : null,
    expiresAt,
  });
  const summary = { id: record.id, name: record.name, prefix: record.prefix, role: record.role, expiresAt: record.expiresAt };
  await recordAudit(actor, { action: 'api_key.create', targetType: 'api_key', targetId: record.id, after: summary, ip });
  return { key, apiKey: summary };
}

export async function revokeApiKey(id: string, actor: Principal, ip?: string | null) {
  const before = await db().apiKey.findUnique({ where: { id }, select: PUBLIC_KEY_SELECT });
  if (!before) throw notFound('API key');
  if (before.revokedAt) return before;
  const after = await db().apiKey.update({ where: { id }, data: { revokedAt: new Date() }, select: PUBLIC_KEY_SELECT });
  await recordAudit(actor, { action: 'api_key.revoke', targetType: 'api_key', targetId: id, before, after, ip });
  return after;
}
