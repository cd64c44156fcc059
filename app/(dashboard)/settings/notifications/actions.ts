'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { serverAction } from '@/app/_server/server-action';
import { createChannelSchema, updateChannelSchema } from '@/lib/notifications/channels.schema';
import { createChannel, deleteChannel, updateChannel } from '@/lib/notifications/manage-channels';
import { sendTestMessage } from '@/lib/notifications/test-channel';

const PAGE = '/settings/notifications';
const byId = z.object({ id: z.uuid('Not a channel id') });

/** A webhook channel's signing secret is returned this once, for the page to show. */
export const createChannelAction = serverAction('ADMIN', createChannelSchema, async (input, { principal, ip }) => {
  const channel = await createChannel(input, principal, ip);
  revalidatePath(PAGE);
  return { id: channel.id, name: channel.name, signingSecret: channel.signingSecret ?? null };
});

export const updateChannelAction = serverAction('ADMIN', updateChannelSchema.extend(byId.shape), async ({ id, ...input }, { principal, ip }) => {
  const channel = await updateChannel(id, input, principal, ip);
  revalidatePath(PAGE);
  return { id: channel.id, enabled: channel.enabled };
});

export const deleteChannelAction = serverAction('ADMIN', byId, async ({ id }, { principal, ip }) => {
  await deleteChannel(id, principal, ip);
  revalidatePath(PAGE);
  return { id };
});

export const sendTestMessageAction = serverAction('ADMIN', byId, async ({ id }, { principal, ip }) => {
  const result = await sendTestMessage(id, principal, ip);
  revalidatePath(PAGE);
  return result;
});
