import type { z } from 'zod';
import { operations } from '@/lib/api/operations';
import { apiRoute, created } from '@/lib/api/api-route';
import { rotateDestinationSecret } from '@/lib/secrets/rotate-secret';
import { rotateSecretSchema } from '@/lib/secrets/secrets.schema';

/** A new signing secret (value in this answer only); the old one keeps signing until graceSeconds pass. */
export const POST = apiRoute<z.infer<typeof rotateSecretSchema>, undefined, { id: string }>(
  operations.rotateDestinationSecret,
  async ({ body, principal, ip, params }) => created(await rotateDestinationSecret(params.id, body, principal, ip)),
);
