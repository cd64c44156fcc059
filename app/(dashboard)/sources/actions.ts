'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { serverAction } from '@/app/_server/server-action';
import { sourceAlertSettingsSchema } from '@/lib/alerts/alert-settings';
import { addSourceSecret, revealSecret, revokeSecret } from '@/lib/secrets/manage-secrets';
import { rotateSourceSecret } from '@/lib/secrets/rotate-secret';
import { createSource, updateSource } from '@/lib/sources/manage-sources';
import { sendTestEvent } from '@/lib/sources/send-test-event';
import { addSecretSchema, rotateSecretSchema, secretValueSchema } from '@/lib/secrets/secrets.schema';
import { createSourceSchema, updateSourceSchema } from '@/lib/sources/sources.schema';
import { requestBaseUrl } from './request-base-url';

function refresh(sourceId?: string) {
  revalidatePath('/sources');
  if (sourceId) revalidatePath(`/sources/${sourceId}`);
}

/** The new-source form: the source, and optionally its first secret, pasted from the provider. */
export const createSourceAction = serverAction(
  'ADMIN',
  createSourceSchema.extend({ secret: secretValueSchema.optional() }),
  async ({ secret, ...input }, { principal, ip }) => {
    const source = await createSource(input, principal, await requestBaseUrl(), ip);
    if (secret !== undefined) await addSourceSecret(source.id, { value: secret }, principal, ip);
    refresh(source.id);
    return { id: source.id };
  },
);

export const updateSourceAction = serverAction('ADMIN', z.object({ id: z.uuid(), changes: updateSourceSchema }), async ({ id, changes }, { principal, ip }) => {
  const source = await updateSource(id, changes, principal, await requestBaseUrl(), ip);
  refresh(id);
  return { id: source.id, status: source.status };
});

/** One rule of the source's alertSettings (the silence watch, the rejection spike), audited as a source.update. */
export const updateSourceAlertSettingsAction = serverAction(
  'ADMIN',
  z.object({ id: z.uuid(), alertSettings: sourceAlertSettingsSchema }),
  async ({ id, alertSettings }, { principal, ip }) => {
    const source = await updateSource(id, { alertSettings }, principal, await requestBaseUrl(), ip);
    refresh(id);
    return { id: source.id, alertSettings: source.alertSettings };
  },
);

/** Adds one more active secret; the value is in this answer only. */
export const addSourceSecretAction = serverAction('ADMIN', addSecretSchema.extend({ ownerId: z.uuid() }), async ({ ownerId, ...input }, { principal, ip }) => {
  const secret = await addSourceSecret(ownerId, input, principal, ip);
  refresh(ownerId);
  return { id: secret.id, hint: secret.hint, value: secret.value };
});

/** A new secret; the others keep working for the grace period. The value is in this answer only. */
export const rotateSourceSecretAction = serverAction(
  'ADMIN',
  rotateSecretSchema.extend({ ownerId: z.uuid() }),
  async ({ ownerId, ...input }, { principal, ip }) => {
    const secret = await rotateSourceSecret(ownerId, input, principal, ip);
    refresh(ownerId);
    return { id: secret.id, hint: secret.hint, value: secret.value, expiring: secret.expiring.length };
  },
);

/** ADMIN only, audited as secret.reveal before the value leaves the server. */
export const revealSourceSecretAction = serverAction('ADMIN', z.object({ id: z.uuid() }), async ({ id }, { principal, ip }) => {
  const { value } = await revealSecret(id, principal, ip);
  return { id, value };
});

export const revokeSourceSecretAction = serverAction('ADMIN', z.object({ id: z.uuid(), ownerId: z.uuid() }), async ({ id, ownerId }, { principal, ip }) => {
  const secret = await revokeSecret(id, principal, ip);
  refresh(ownerId);
  return { id: secret.id, status: secret.status };
});

export const sendTestEventAction = serverAction('ADMIN', z.object({ sourceId: z.uuid() }), async ({ sourceId }, { principal, ip }) => {
  const result = await sendTestEvent(sourceId, principal, ip);
  refresh(sourceId);
  return result;
});
