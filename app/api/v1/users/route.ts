import { apiRoute, created } from '@/lib/api/api-route';
import { createUser, listUsers } from '@/lib/users/manage-users';
import { createUserSchema } from '@/lib/users/users.schema';

export const GET = apiRoute({ role: 'ADMIN' }, async () => ({ data: await listUsers() }));

export const POST = apiRoute({ role: 'ADMIN', body: createUserSchema }, async ({ body, principal, ip }) => {
  const { user, generatedPassword } = await createUser(body, principal, ip);
  return created({ ...user, ...(generatedPassword ? { password: generatedPassword } : {}) });
});
