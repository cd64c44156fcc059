/**
 * Secrets of sources (verification) and destinations (signing): add, rotate with a grace period,
 * reveal (admin only, audited) and revoke. Values are encrypted before they reach the database
 * and leave it only through `revealSecret`, the one-time answer of add/rotate/destination
 * creation, and the loaders used by the ingest path and the worker. Audit entries and errors
 * carry the masked hint, never a value.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { isUuid, newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import type { Tx } from '@/lib/db/transaction';
import { AppError, conflict, notFound } from '@/lib/http/errors';
import { getProvider } from '@/lib/providers';
import type { AddSecretInput, RotateSecretInput } from '@/lib/sources/sources.schema';
import { DEFAULT_GRACE_SECONDS } from '@/lib/sources/sources.schema';
import { decryptSecret, encryptSecret, maskSecret } from './encryption';
import { generateSigningSecret, generateSourceSecret } from './generate-secret';
import { isActive } from './verification-secrets';

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


const actorUserId = (actor: Principal | 'system') => (actor !== 'system' && actor.kind === 'user' ? actor.id : null);

type Owner = { sourceId: string; destinationId?: undefined } | { destinationId: string; sourceId?: undefined };

/**
 * Encrypts and inserts one secret. The id is generated first because it is the AAD of the
 * ciphertext (a ciphertext copied onto another row does not decrypt).
 */
export async function insertSecret(
  tx: Tx,
  owner: Owner,
  value: string,
  options: { label?: string | null; actor: Principal | 'system' },
): Promise<SecretWithValue> {
  const id = newId();
  const row = await tx.secret.create({
    data: {
      id,
      sourceId: owner.sourceId ?? null,
      destinationId: owner.destinationId ?? null,
      label: options.label ?? null,
      ciphertext: new Uint8Array(encryptSecret(id, value)),
      hint: maskSecret(value),
      createdById: actorUserId(options.actor),
    },
    select: SECRET_METADATA_SELECT,
  });
  return { ...toSecretMetadata(row), value };
}

/** Locks the owner row so that concurrent rotations of one source or destination serialise. */
async function lockOwner(tx: Tx, owner: Owner): Promise<{ id: string; provider: string | null } | null> {
  if (owner.sourceId) {
    if (!isUuid(owner.sourceId)) return null;
    const rows = await tx.$queryRaw<{ id: string; provider: string }[]>`
      SELECT id::text, provider FROM sources WHERE id = ${owner.sourceId}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }
  if (!owner.destinationId || !isUuid(owner.destinationId)) return null;
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM destinations WHERE id = ${owner.destinationId}::uuid FOR UPDATE`;
  return rows[0] ? { id: rows[0].id, provider: null } : null;
}

function assertSourceTakesSecrets(provider: string) {
  if (!getProvider(provider).needsSecret) {
    throw conflict(`A source with the "${provider}" provider does not verify requests, so it has no secrets; change its provider first`);
  }
}

/** Standard Webhooks: `whsec_` + base64 of 24 to 64 random bytes. */
export function assertStandardWebhooksSecret(value: string): void {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value);
  const bytes = match?.[1] ? Buffer.from(match[1], 'base64').length : 0;
  if (bytes < 24 || bytes > 64) {
    throw new AppError('invalid_input', 'value: a signing secret is whsec_ followed by base64 of 24 to 64 random bytes', [
      { path: 'value', message: 'expected whsec_ + base64 of 24 to 64 bytes' },
    ]);
  }
}

/** `POST /api/v1/sources/{id}/secrets`: one more active secret (e.g. while a provider rolls its own). */
export async function addSourceSecret(sourceId: string, input: AddSecretInput, actor: Principal, ip?: string | null): Promise<SecretWithValue> {
  return db().$transaction(async (tx) => {
    const source = await lockOwner(tx, { sourceId });
    if (!source?.provider) throw notFound('Source');
    assertSourceTakesSecrets(source.provider);
    const secret = await insertSecret(tx, { sourceId }, input.value ?? generateSourceSecret(source.provider), { label: input.label, actor });
    await recordAudit(
      actor,
      {
        action: 'secret.create',
        targetType: 'secret',
        targetId: secret.id,
        after: { sourceId, label: secret.label, hint: secret.hint, generated: input.value === undefined },
        ip,
      },
      tx,
    );
    await notifyConfigChanged(tx);
    return secret;
  });
}

export interface RotationResult extends SecretWithValue {
  /** The secrets that keep working until their (new) expiry. */
  expiring: { id: string; hint: string; expiresAt: Date | null }[];
}

async function rotate(owner: Owner, input: RotateSecretInput, actor: Principal, ip: string | null | undefined): Promise<RotationResult> {
  const graceSeconds = input.graceSeconds ?? DEFAULT_GRACE_SECONDS;
  return db().$transaction(async (tx) => {
    const locked = await lockOwner(tx, owner);
    if (!locked) throw notFound(owner.sourceId ? 'Source' : 'Destination');
    let value: string;
    if (owner.sourceId) {
      assertSourceTakesSecrets(locked.provider ?? 'none');
      value = input.value ?? generateSourceSecret(locked.provider ?? 'none');
    } else {
      if (input.value !== undefined) assertStandardWebhooksSecret(input.value);
      value = input.value ?? generateSigningSecret();
    }
    const now = new Date();
    const before = await listSecretMetadata(owner, tx);
    const endsAt = new Date(now.getTime() + graceSeconds * 1000);
    // Every other active secret ends after the grace period, unless it already ends sooner.
    await tx.secret.updateMany({
      where: { ...owner, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: endsAt } }] },
      data: { expiresAt: endsAt },
    });
    const previous = before.filter((secret) => isActive(secret, now)).map((secret) => secret.id);
    const expiring = await tx.secret.findMany({
      where: { id: { in: previous } },
      select: { id: true, hint: true, expiresAt: true },
      orderBy: { createdAt: 'desc' },
    });
    const secret = await insertSecret(tx, owner, value, { label: input.label, actor });
    await recordAudit(
      actor,
      {
        action: 'secret.rotate',
        targetType: owner.sourceId ? 'source' : 'destination',
        targetId: locked.id,
        before: { secrets: before.map(({ id, label, hint, status, expiresAt }) => ({ id, label, hint, status, expiresAt })) },
        after: {
          secret: { id: secret.id, label: secret.label, hint: secret.hint },
          generated: input.value === undefined,
          graceSeconds,
          expiring,
        },
        ip,
      },
      tx,
    );
    await notifyConfigChanged(tx);
    return { ...secret, expiring };
  });
}

/** `POST /api/v1/sources/{id}/secrets/rotate`: a new secret; the others end after the grace period. */
export function rotateSourceSecret(sourceId: string, input: RotateSecretInput, actor: Principal, ip?: string | null) {
  return rotate({ sourceId }, input, actor, ip);
}

/**
 * `POST /api/v1/destinations/{id}/secrets/rotate`: a new signing secret. Until the old one
 * expires, forwards carry a signature under each active secret (Standard Webhooks allows a
 * space-separated list), so the receiver can switch at its own pace.
 */
export function rotateDestinationSecret(destinationId: string, input: RotateSecretInput, actor: Principal, ip?: string | null) {
  return rotate({ destinationId }, input, actor, ip);
}

async function findSecretOrThrow(id: string) {
  if (!isUuid(id)) throw notFound('Secret');
  const secret = await db().secret.findUnique({
    where: { id },
    select: { ...SECRET_METADATA_SELECT, sourceId: true, destinationId: true },
  });
  if (!secret) throw notFound('Secret');
  return secret;
}

/** `POST /api/v1/secrets/{id}/reveal` (ADMIN): the value, after the audit entry is written. */
export async function revealSecret(id: string, actor: Principal, ip?: string | null): Promise<{ id: string; value: string }> {
  if (!isUuid(id)) throw notFound('Secret');
  const secret = await db().secret.findUnique({
    where: { id },
    select: { id: true, hint: true, sourceId: true, destinationId: true, ciphertext: true },
  });
  if (!secret) throw notFound('Secret');
  const value = decryptSecret(secret.id, secret.ciphertext);
  await recordAudit(actor, {
    action: 'secret.reveal',
    targetType: 'secret',
    targetId: id,
    after: { hint: secret.hint, sourceId: secret.sourceId, destinationId: secret.destinationId },
    ip,
  });
  return { id: secret.id, value };
}

/**
 * `DELETE /api/v1/secrets/{id}` (ADMIN): the secret stops working now. A destination's last
 * active signing secret cannot be revoked (forwards could not be signed): rotate it instead.
 */
export async function revokeSecret(id: string, actor: Principal, ip?: string | null): Promise<SecretMetadata> {
  const found = await findSecretOrThrow(id);
  return db().$transaction(async (tx) => {
    const owner: Owner = found.sourceId ? { sourceId: found.sourceId } : { destinationId: found.destinationId! };
    await lockOwner(tx, owner);
    const before = await tx.secret.findUniqueOrThrow({ where: { id }, select: SECRET_METADATA_SELECT });
    if (before.revokedAt) return toSecretMetadata(before);
    const now = new Date();
    if (owner.destinationId && isActive(before, now)) {
      const others = await tx.secret.count({
        where: { destinationId: owner.destinationId, id: { not: id }, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      });
      if (others === 0) throw conflict("This is the destination's only active signing secret; rotate it instead of revoking it");
    }
    const after = await tx.secret.update({ where: { id }, data: { revokedAt: now }, select: SECRET_METADATA_SELECT });
    await recordAudit(
      actor,
      {
        action: 'secret.revoke',
        targetType: 'secret',
        targetId: id,
        before: { ...toSecretMetadata(before, now), ...owner },
        after: { ...toSecretMetadata(after, now), ...owner },
        ip,
      },
      tx,
    );
    await notifyConfigChanged(tx);
    return toSecretMetadata(after, now);
  });
}
