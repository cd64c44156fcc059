'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { serverAction } from '@/app/_server/server-action';
import { clearSignInLocks } from '@/lib/auth/sign-in-locks';
import { createUser, updateUser } from '@/lib/users/manage-users';
import { resetPassword, revokeSessions } from '@/lib/users/passwords-and-sessions';
import { createUserSchema, resetPasswordSchema, updateUserSchema } from '@/lib/users/users.schema';

export const createUserAction = serverAction('ADMIN', createUserSchema, async (input, { principal, ip }) => {
  const result = await createUser(input, principal, ip);
  revalidatePath('/settings/users');
  return result;
});

export const updateUserAction = serverAction('ADMIN', z.object({ id: z.uuid(), changes: updateUserSchema }), async ({ id, changes }, { principal, ip }) => {
  const user = await updateUser(id, changes, principal, ip);
  revalidatePath('/settings/users');
  return user;
});

export const clearSignInLockAction = serverAction('ADMIN', z.object({ key: z.string().min(1).max(600) }), async ({ key }, { principal, ip }) => {
  const cleared = await clearSignInLocks({ key }, principal, ip);
  revalidatePath('/settings/users');
  return { cleared: cleared.length };
});

/** Sets (or generates, returned once) a user's password and ends their sessions. */
export const resetPasswordAction = serverAction(
  'ADMIN',
  z.object({ id: z.uuid() }).extend(resetPasswordSchema.shape),
  async ({ id, newPassword }, { principal, ip }) => {
    const result = await resetPassword(id, { newPassword }, principal, ip);
    revalidatePath('/settings/users');
    return result;
  },
);

/** Signs a user out everywhere. */
export const revokeSessionsAction = serverAction('ADMIN', z.object({ id: z.uuid() }), async ({ id }, { principal, ip }) => {
  await revokeSessions(id, principal, ip);
  return { revoked: true };
});
