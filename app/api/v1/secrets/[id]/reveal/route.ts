import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';
import { revealSecret } from '@/lib/secrets/manage-secrets';

/** Admin only; every reveal is written to the audit log before the value is returned. */
export const POST = apiRoute<undefined, undefined, { id: string }>(operations.revealSecret, async ({ principal, ip, params }) =>
  revealSecret(params.id, principal, ip),
);
