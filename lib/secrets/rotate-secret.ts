/**
 * Rotation: a new secret becomes active and every other active one ends after a grace period
 * (default DEFAULT_GRACE_SECONDS), so the sender or the receiver can switch at its own pace.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { db } from '@/lib/db/prisma';
import { notFound } from '@/lib/http/errors';
import type { RotateSecretInput } from './secrets.schema';
import { DEFAULT_GRACE_SECONDS } from './secrets.schema';
import { generateSigningSecret, generateSourceSecret } from './generate-secret';
import { listSecretMetadata, type SecretWithValue } from './secret-metadata';
import { assertSourceTakesSecrets, assertStandardWebhooksSecret, insertSecret, lockOwner, type Owner } from './store-secret';
import { isActive } from './verification-secrets';

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
