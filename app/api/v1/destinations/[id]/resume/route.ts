import { resumeDestination } from '@/lib/destinations/manage-destinations';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/** Active again (also from disabled); held deliveries are due now. The answer includes `requeued`. */
export const POST = apiRoute<undefined, undefined, { id: string }>(operations.resumeDestination, async ({ principal, ip, params }) =>
  resumeDestination(params.id, principal, ip),
);
