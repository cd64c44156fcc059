import type { z } from 'zod';
import { operations } from '@/lib/api/operations';
import { apiRoute, noContent } from '@/lib/api/api-route';
import { deleteRoute, getRouteOrThrow, updateRoute } from '@/lib/routes/manage-routes';
import { updateRouteSchema } from '@/lib/routes/routes.schema';

type Params = { id: string };

export const GET = apiRoute<undefined, undefined, Params>(operations.getRoute, async ({ params }) => getRouteOrThrow(params.id));

export const PATCH = apiRoute<z.infer<typeof updateRouteSchema>, undefined, Params>(operations.updateRoute, async ({ body, principal, ip, params }) =>
  updateRoute(params.id, body, principal, ip),
);

/** Deletes the route; deliveries it created stay, with routeId null. */
export const DELETE = apiRoute<undefined, undefined, Params>(operations.deleteRoute, async ({ principal, ip, params }) => {
  await deleteRoute(params.id, principal, ip);
  return noContent();
});
