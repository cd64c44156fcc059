import { pauseDestination } from '@/lib/destinations/manage-destinations';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/** Deliveries are held until resume. */
export const POST = apiRoute<undefined, undefined, { id: string }>(operations.pauseDestination, async ({ principal, ip, params }) =>
  pauseDestination(params.id, principal, ip),
);
