import { operations } from '@/lib/api/operations';
import { apiRoute, created } from '@/lib/api/api-route';
import { requestPublicBaseUrl } from '@/lib/http/public-url';
import { createSource, listSources } from '@/lib/sources/manage-sources';

export const GET = apiRoute(operations.listSources, async ({ request }) => ({ data: await listSources(requestPublicBaseUrl(request)) }));

export const POST = apiRoute(operations.createSource, async ({ request, body, principal, ip }) =>
  created(await createSource(body, principal, requestPublicBaseUrl(request), ip)),
);
