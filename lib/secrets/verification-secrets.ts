/**
 * The secrets a source's requests are verified with: `active` ones verify (newest first);
 * `recentlyExpired` ones (expired or revoked within the last 7 days) are tried only after a
 * failure, to report `expired_secret` instead of `bad_signature`. Read with postgres.js, so that
 * the ingest process (server.ts) never loads Prisma's query engine.
 */
import { type Sql, sql as defaultSql } from '@/lib/db/sql';
import type { VerificationSecret } from '@/lib/providers/types';
import { decryptSecret } from './encryption';

export const RECENTLY_EXPIRED_MS = 7 * 86_400_000;

export const isActive = (secret: { expiresAt: Date | null; revokedAt: Date | null }, now: Date): boolean =>
  !secret.revokedAt && (!secret.expiresAt || secret.expiresAt > now);

export interface VerificationSecrets {
  active: VerificationSecret[];
  recentlyExpired: VerificationSecret[];
  /** When each active secret that has an expiry expires (ms), so that a cached copy never verifies with it afterwards. */
  expiries: Map<string, number>;
}

export async function loadVerificationSecrets(sourceId: string, now: Date = new Date(), sql: Sql = defaultSql()): Promise<VerificationSecrets> {
  const cutoff = new Date(now.getTime() - RECENTLY_EXPIRED_MS);
  const rows = await sql<{ id: string; ciphertext: Buffer; expiresAt: Date | null; revokedAt: Date | null }[]>`
    SELECT id, ciphertext, expires_at AS "expiresAt", revoked_at AS "revokedAt" FROM secrets
    WHERE source_id = ${sourceId} AND (revoked_at IS NULL OR revoked_at >= ${cutoff}) AND (expires_at IS NULL OR expires_at >= ${cutoff})
    ORDER BY created_at DESC, id DESC`;
  const secrets: VerificationSecrets = { active: [], recentlyExpired: [], expiries: new Map() };
  for (const row of rows) {
    const secret = { id: row.id, value: decryptSecret(row.id, row.ciphertext) };
    if (!isActive(row, now)) {
      secrets.recentlyExpired.push(secret);
      continue;
    }
    secrets.active.push(secret);
    if (row.expiresAt) secrets.expiries.set(row.id, row.expiresAt.getTime());
  }
  return secrets;
}
