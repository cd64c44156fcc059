/**
 * The secrets a destination's forwards are signed with. A loader of its own, beside the admin
 * module that manages secrets (manage-secrets.ts), so that the worker reads them without
 * importing audit, roles and rotation.
 */
import { db } from '@/lib/db/prisma';
import type { Tx } from '@/lib/db/transaction';
import { decryptSecret } from './encryption';

export interface DecryptedSecret {
  id: string;
  value: string;
}

/**
 * The worker's signing secrets for a destination: every active one, newest first. Each forward
 * carries one `v1,` signature per secret, so a receiver that knows either the old or the new
 * secret accepts it during a rotation's grace period.
 */
export async function loadSigningSecrets(destinationId: string, now: Date = new Date(), client: Tx = db()): Promise<DecryptedSecret[]> {
  return loadActiveSecrets({ destinationId }, now, client);
}

/** A webhook notification channel's signing secrets, the same way (lib/notifications/send-webhook.ts). */
export async function loadChannelSigningSecrets(channelId: string, now: Date = new Date(), client: Tx = db()): Promise<DecryptedSecret[]> {
  return loadActiveSecrets({ channelId }, now, client);
}

async function loadActiveSecrets(owner: { destinationId: string } | { channelId: string }, now: Date, client: Tx): Promise<DecryptedSecret[]> {
  const rows = await client.secret.findMany({
    where: { ...owner, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { id: true, ciphertext: true },
    orderBy: { createdAt: 'desc' },
  });
  return rows.map((row) => ({ id: row.id, value: decryptSecret(row.id, row.ciphertext) }));
}
