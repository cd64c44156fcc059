import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';
import { revealDestinationUrl } from '@/lib/destinations/manage-destinations';

/** Admin only: the broker URL with its password; every reveal is written to the audit log first. */
export const POST = apiRoute<undefined, undefined, { id: string }>(operations.revealDestinationUrl, async ({ principal, ip, params }) =>
  revealDestinationUrl(params.id, principal, ip),
);
