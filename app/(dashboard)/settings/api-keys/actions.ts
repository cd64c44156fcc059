'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { issueApiKey, revokeApiKey } from '@/lib/auth/manage-api-keys';
import { serverAction } from '@/app/_server/server-action';
import { createApiKeySchema } from '@/lib/users/users.schema';

export const createApiKeyAction = serverAction('ADMIN', createApiKeySchema, async (input, { principal, ip }) => {
  const result = await issueApiKey(input, principal, ip);
  revalidatePath('/settings/api-keys');
  return result;
});

export const revokeApiKeyAction = serverAction('ADMIN', z.object({ id: z.uuid() }), async ({ id }, { principal, ip }) => {
  await revokeApiKey(id, principal, ip);
  revalidatePath('/settings/api-keys');
  return { id };
});
