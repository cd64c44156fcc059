/**
 * Storing a secret for its owner (a source or a destination): the checks a value must pass, the
 * owner-row lock that serialises changes, and the encrypted insert. Shared by secret management
 * (add, rotate, revoke), destination creation and webhook notification channels' creation.
 */
import type { Principal } from '@/lib/auth/principal';
import { isUuid, newId } from '@/lib/db/ids';
import type { Tx } from '@/lib/db/transaction';
import { AppError, conflict } from '@/lib/http/errors';
import { getProvider } from '@/lib/providers';
import { encryptSecret, maskSecret } from './encryption';
import { SECRET_METADATA_SELECT, type SecretWithValue, toSecretMetadata } from './secret-metadata';

const actorUserId = (actor: Principal | 'system') => (actor !== 'system' && actor.kind === 'user' ? actor.id : null);

export type Owner = { sourceId: string; destinationId?: undefined } | { destinationId: string; sourceId?: undefined };

/** Who a stored secret belongs to: a source or destination (rotated through Owner), or a webhook notification channel (its signing secret). */
export type SecretOwner = Owner | { channelId: string; sourceId?: undefined; destinationId?: undefined };

/**
 * Encrypts and inserts one secret. The id is generated first because it is the AAD of the
 * ciphertext (a ciphertext copied onto another row does not decrypt).
 */
export async function insertSecret(
  tx: Tx,
  owner: SecretOwner,
  value: string,
  options: { label?: string | null; actor: Principal | 'system' },
): Promise<SecretWithValue> {
  const id = newId();
  const row = await tx.secret.create({
    data: {
      id,
      sourceId: owner.sourceId ?? null,
      destinationId: owner.destinationId ?? null,
      channelId: 'channelId' in owner ? owner.channelId : null,
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
export async function lockOwner(tx: Tx, owner: Owner): Promise<{ id: string; provider: string | null } | null> {
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

/** Sources whose provider does not verify (`none`) have no secrets. */
export function assertSourceTakesSecrets(provider: string): void {
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
