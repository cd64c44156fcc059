/**
 * The provider-facing ingest route. Under `npm start` the lean path in server.ts answers these
 * requests before Next.js sees them; this handler serves deployments that run `next start` alone.
 * Both call the same lib/ingest pipeline.
 */
import { clientIp } from '@/lib/http/client-ip';
import { providerFacingUrl } from '@/lib/http/public-url';
import { handleIngest } from '@/lib/ingest/handle-ingest';
import { readLimited, webStreamChunks } from '@/lib/ingest/read-body';

export const dynamic = 'force-dynamic';

async function ingest(request: Request, context: { params: Promise<{ source: string }> }): Promise<Response> {
  const { source } = await context.params;
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const response = await handleIngest({
    slug: source,
    method: request.method,
    url: providerFacingUrl(`${url.pathname}${url.search}`, headers),
    query: url.search ? url.search.slice(1) : null,
    headers,
    ip: clientIp(request.headers),
    readBody: (limit) => readLimited(webStreamChunks(request.body), limit),
  });
  // A 204 or 304 may not carry a body, not even an empty one.
  const body = response.status === 204 || response.status === 304 ? null : response.body;
  return new Response(body, { status: response.status, headers: response.headers });
}

export const POST = ingest;
export const GET = ingest;
export const PUT = ingest;
