import { z } from 'zod';
import { apiRoute } from '@/lib/api/api-route';
import { operations } from '@/lib/api/operations';
import { revokeSessions } from '@/lib/users/passwords-and-sessions';

const params = z.object({ id: z.uuid('Not a user id') });

/** Signs a user out everywhere: admins for anyone, every signed-in person for themselves (checked in lib/users). */
export const POST = apiRoute<undefined, undefined, { id: string }>(operations.revokeUserSessions, async ({ principal, ip, params: raw }) => {
  await revokeSessions(params.parse(raw).id, principal, ip);
  return { revoked: true };
});
