/**
 * What anyone may know about a secret: its label, masked hint, dates and status, never its value.
 * Source and destination responses embed these; the value leaves the database only through
 * the loaders and `revealSecret`.
 */
import { db } from '@/lib/db/prisma';
import type { Tx } from '@/lib/db/transaction';

export const SECRET_METADATA_SELECT = {
  id: true,
  label: true,
  hint: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  lastMatchedAt: true,
} as const;

interface SecretRow {
  id: string;
  label: string | null;
  hint: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastMatchedAt: Date | null;
}

export type SecretStatus = 'active' | 'expiring' | 'expired' | 'revoked';

/** What every role may see about a secret. */
export interface SecretMetadata extends SecretRow {
  /** `expiring`: still active, but a rotation gave it an end. */
  status: SecretStatus;
}

/** A secret with its value: the answer of add, rotate and destination creation, shown once. */
export type SecretWithValue = SecretMetadata & { value: string };

export function secretStatus(secret: Pick<SecretRow, 'expiresAt' | 'revokedAt'>, now = new Date()): SecretStatus {
  if (secret.revokedAt) return 'revoked';
  if (secret.expiresAt && secret.expiresAt <= now) return 'expired';
  return secret.expiresAt ? 'expiring' : 'active';
}

export function toSecretMetadata(row: SecretRow, now = new Date()): SecretMetadata {
  return {
    id: row.id,
    label: row.label,
    hint: row.hint,
    status: secretStatus(row, now),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastMatchedAt: row.lastMatchedAt,
  };
}

/** Newest first; what source and destination responses embed. */
export async function listSecretMetadata(owner: { sourceId: string } | { destinationId: string }, client: Tx = db()) {
  const rows = await client.secret.findMany({ where: owner, select: SECRET_METADATA_SELECT, orderBy: { createdAt: 'desc' } });
  const now = new Date();
  return rows.map((row) => toSecretMetadata(row, now));
}
