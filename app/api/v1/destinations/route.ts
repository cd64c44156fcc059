import { createDestinationSchema } from '@/lib/destinations/destinations.schema';
import { createDestination, listDestinations, viewOptionsFor } from '@/lib/destinations/manage-destinations';
import { apiRoute, created } from '@/lib/api/api-route';

export const GET = apiRoute({ role: 'VIEWER' }, async ({ principal }) => ({ data: await listDestinations(viewOptionsFor(principal)) }));

/** `signingSecret` is in this answer only; later answers show its hint. */
export const POST = apiRoute({ role: 'ADMIN', body: createDestinationSchema }, async ({ body, principal, ip }) =>
  created(await createDestination(body, principal, ip)),
);
