import { apiRoute, created } from '@/lib/api/api-route';
import { requestPublicBaseUrl } from '@/lib/http/public-url';
import { createSource, listSources } from '@/lib/sources/manage-sources';
import { createSourceSchema } from '@/lib/sources/sources.schema';

export const GET = apiRoute({ role: 'VIEWER' }, async ({ request }) => ({ data: await listSources(requestPublicBaseUrl(request)) }));

export const POST = apiRoute({ role: 'ADMIN', body: createSourceSchema }, async ({ request, body, principal, ip }) =>
  created(await createSource(body, principal, requestPublicBaseUrl(request), ip)),
);
