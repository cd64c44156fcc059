import { apiRoute, created } from '@/lib/http/api-route';
import { createSource, ingestBaseUrl, listSources } from '@/lib/sources/manage-sources';
import { createSourceSchema } from '@/lib/sources/sources.schema';

export const GET = apiRoute({ role: 'VIEWER' }, async ({ request }) => ({ data: await listSources(ingestBaseUrl(request)) }));

export const POST = apiRoute({ role: 'ADMIN', body: createSourceSchema }, async ({ request, body, principal, ip }) =>
  created(await createSource(body, principal, ingestBaseUrl(request), ip)),
);
