import type { z } from 'zod';
import { operations } from '@/lib/api/operations';
import { apiRoute, created } from '@/lib/api/api-route';
import { rotateSourceSecret } from '@/lib/secrets/rotate-secret';
import { rotateSecretSchema } from '@/lib/secrets/secrets.schema';

/** A new secret (value in this answer only); the others expire after graceSeconds (default 86400). */
export const POST = apiRoute<z.infer<typeof rotateSecretSchema>, undefined, { id: string }>(
  operations.rotateSourceSecret,
  async ({ body, principal, ip, params }) => created(await rotateSourceSecret(params.id, body, principal, ip)),
);
