import { z } from 'zod';
import { revokeApiKey } from '@/lib/auth/manage-api-keys';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

const params = z.object({ id: z.uuid('Not an API key id') });

export const DELETE = apiRoute<undefined, undefined, { id: string }>(operations.revokeApiKey, async ({ principal, ip, params: raw }) =>
  revokeApiKey(params.parse(raw).id, principal, ip),
);
