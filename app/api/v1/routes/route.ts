import { operations } from '@/lib/api/operations';
import { apiRoute, created } from '@/lib/api/api-route';
import { createRoute, listRoutes } from '@/lib/routes/manage-routes';

export const GET = apiRoute(operations.listRoutes, async ({ query }) => ({ data: await listRoutes(query) }));

export const POST = apiRoute(operations.createRoute, async ({ body, principal, ip }) => created(await createRoute(body, principal, ip)));
