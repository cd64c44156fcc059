/**
 * API keys: `hky_` + 43 base64url characters (256 bits). Only the SHA-256 of a key is stored;
 * the key itself is shown once, when it is created.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@/lib/db/generated/enums';
import { db } from '@/lib/db/prisma';

const PREFIX = 'hky_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(PREFIX) && value.length === PREFIX.length + 43;
}

export async function createApiKey(input: { name: string; role: Role; createdById: string | null; expiresAt?: Date | null }) {
  const key = PREFIX + randomBytes(32).toString('base64url');
  const record = await db().apiKey.create({
    data: {
      name: input.name,
      role: input.role,
      prefix: key.slice(0, PREFIX.length + 6),
      keyHash: hashApiKey(key),
      createdById: input.createdById,
      expiresAt: input.expiresAt ?? null,
    },
  });
  return { key, record };
}

/** The key's record when it is valid now (not revoked, not expired), else null. */
export async function findValidApiKey(key: string, now = new Date()) {
  if (!looksLikeApiKey(key)) return null;
  const record = await db().apiKey.findUnique({ where: { keyHash: hashApiKey(key) } });
  if (!record || record.revokedAt || (record.expiresAt && record.expiresAt <= now)) return null;
  // Coarse last-used tracking: at most one write a minute per key.
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > 60_000) {
    await db().apiKey.update({ where: { id: record.id }, data: { lastUsedAt: now } });
  }
  return record;
}
