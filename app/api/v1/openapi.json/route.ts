import { openApiDocument } from '@/lib/api/openapi';

/** The OpenAPI 3.1 document of /api/v1 (lib/api/openapi.ts). Public and cacheable: it holds no data, only the API's shape. */
export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
}
