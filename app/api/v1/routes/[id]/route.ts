import type { z } from 'zod';
import { apiRoute, noContent } from '@/lib/api/api-route';
import { deleteRoute, getRouteOrThrow, updateRoute } from '@/lib/routes/manage-routes';
import { updateRouteSchema } from '@/lib/routes/routes.schema';

type Params = { id: string };

export const GET = apiRoute<undefined, undefined, Params>({ role: 'VIEWER' }, async ({ params }) => getRouteOrThrow(params.id));

export const PATCH = apiRoute<z.infer<typeof updateRouteSchema>, undefined, Params>(
  { role: 'ADMIN', body: updateRouteSchema },
  async ({ body, principal, ip, params }) => updateRoute(params.id, body, principal, ip),
);

/** Deletes the route; deliveries it created stay, with routeId null. */
export const DELETE = apiRoute<undefined, undefined, Params>({ role: 'ADMIN' }, async ({ principal, ip, params }) => {
  await deleteRoute(params.id, principal, ip);
  return noContent();
});
