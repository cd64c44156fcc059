import { z } from 'zod';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';
import { updateUser } from '@/lib/users/manage-users';
import { updateUserSchema } from '@/lib/users/users.schema';

const params = z.object({ id: z.uuid('Not a user id') });

export const PATCH = apiRoute<z.infer<typeof updateUserSchema>, undefined, { id: string }>(
  operations.updateUser,
  async ({ body, principal, ip, params: raw }) => updateUser(params.parse(raw).id, body, principal, ip),
);
