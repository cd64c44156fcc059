import type { z } from 'zod';
import { operations } from '@/lib/api/operations';
import { apiRoute, created } from '@/lib/api/api-route';
import { addSourceSecret } from '@/lib/secrets/manage-secrets';
import { addSecretSchema } from '@/lib/secrets/secrets.schema';

/** The value is in this answer only. */
export const POST = apiRoute<z.infer<typeof addSecretSchema>, undefined, { id: string }>(operations.addSourceSecret, async ({ body, principal, ip, params }) =>
  created(await addSourceSecret(params.id, body, principal, ip)),
);
