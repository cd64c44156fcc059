/**
 * Secrets of sources (verification) and destinations (signing): add, reveal (admin only,
 * audited) and revoke; rotation is rotate-secret.ts. Values are encrypted before they reach the
 * database (store-secret.ts) and leave it only through `revealSecret`, the one-time answer of
 * add/rotate/destination creation, and the loaders used by the ingest path
 * (verification-secrets.ts) and the worker (signing-secrets.ts). Audit entries and errors carry
 * the masked hint, never a value.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { isUuid } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { conflict, notFound } from '@/lib/http/errors';
import type { AddSecretInput } from './secrets.schema';
import { decryptSecret } from './encryption';
import { generateSourceSecret } from './generate-secret';
import { SECRET_METADATA_SELECT, type SecretMetadata, type SecretWithValue, toSecretMetadata } from './secret-metadata';
import { assertSourceTakesSecrets, insertSecret, lockOwner, type Owner } from './store-secret';
import { isActive } from './verification-secrets';

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
