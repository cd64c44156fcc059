import { z } from 'zod';
import { apiRoute } from '@/lib/api/api-route';
import { operations } from '@/lib/api/operations';
import { resetPassword } from '@/lib/users/passwords-and-sessions';
import { type ResetPasswordInput } from '@/lib/users/users.schema';

const params = z.object({ id: z.uuid('Not a user id') });

/** An admin sets a user's password, or has one generated (returned in this answer only); the user's sessions end. */
export const POST = apiRoute<ResetPasswordInput, undefined, { id: string }>(operations.resetUserPassword, async ({ body, principal, ip, params: raw }) => {
  const { generatedPassword } = await resetPassword(params.parse(raw).id, body, principal, ip);
  return { reset: true, ...(generatedPassword ? { password: generatedPassword } : {}) };
});
