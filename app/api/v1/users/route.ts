import { operations } from '@/lib/api/operations';
import { apiRoute, created } from '@/lib/api/api-route';
import { createUser, listUsers } from '@/lib/users/manage-users';

export const GET = apiRoute(operations.listUsers, async () => ({ data: await listUsers() }));

export const POST = apiRoute(operations.createUser, async ({ body, principal, ip }) => {
  const { user, generatedPassword } = await createUser(body, principal, ip);
  return created({ ...user, ...(generatedPassword ? { password: generatedPassword } : {}) });
});
