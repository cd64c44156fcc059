import { apiRoute, created } from '@/lib/api/api-route';
import { createRoute, listRoutes } from '@/lib/routes/manage-routes';
import { createRouteSchema, listRoutesQuerySchema } from '@/lib/routes/routes.schema';

export const GET = apiRoute({ role: 'VIEWER', query: listRoutesQuerySchema }, async ({ query }) => ({ data: await listRoutes(query) }));

export const POST = apiRoute({ role: 'ADMIN', body: createRouteSchema }, async ({ body, principal, ip }) => created(await createRoute(body, principal, ip)));
