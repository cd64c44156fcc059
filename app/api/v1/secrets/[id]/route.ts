import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';
import { revokeSecret } from '@/lib/secrets/manage-secrets';

/** Revokes the secret (it stops working now); the row stays for the audit trail. */
export const DELETE = apiRoute<undefined, undefined, { id: string }>(operations.revokeSecret, async ({ principal, ip, params }) =>
  revokeSecret(params.id, principal, ip),
);
