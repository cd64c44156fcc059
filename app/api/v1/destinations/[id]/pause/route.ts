import { pauseDestination } from '@/lib/destinations/manage-destinations';
import { apiRoute } from '@/lib/api/api-route';

/** Deliveries are held until resume. */
export const POST = apiRoute<undefined, undefined, { id: string }>({ role: 'ADMIN' }, async ({ principal, ip, params }) =>
  pauseDestination(params.id, principal, ip),
);
