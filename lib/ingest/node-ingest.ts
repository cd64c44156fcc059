/**
 * The lean ingest path: `POST /api/ingest/{slug}` answered on node:http directly, skipping the
 * framework's per-request cost (measured on these machines: ~800 vs ~30,000 req/s for a no-op; docs/performance.md).
 * Same pipeline as the route handler (lib/ingest/handle-ingest.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientIp } from '@/lib/http/client-ip';
import { providerFacingUrl } from '@/lib/http/public-url';
import { handleIngest } from './handle-ingest';
import { readNodeStream } from './read-body';

const PREFIX = '/api/ingest/';

/** The source slug when this request is for the ingest route, else null. */
export function ingestSlug(req: IncomingMessage): string | null {
  const url = req.url ?? '';
  if (!url.startsWith(PREFIX)) return null;
  const end = url.indexOf('?');
  const slug = url.slice(PREFIX.length, end === -1 ? undefined : end);
  if (!slug || slug.includes('/')) return null;
  try {
    return decodeURIComponent(slug);
  } catch {
    return null;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export async function serveIngest(req: IncomingMessage, res: ServerResponse, slug: string): Promise<void> {
  const socket = req.socket;
  const headers = flatHeaders(req);
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const response = await handleIngest({
    slug,
    method: req.method ?? 'POST',
    url: providerFacingUrl(url, headers),
    query: queryStart === -1 ? null : url.slice(queryStart + 1) || null,
    headers,
    ip: clientIp(headers),
    readBody: (limit) => readNodeStream(req, limit),
  });
  // A body we did not read to its end (refused early, or over the limit) is not drained: the
  // connection is closed after the answer instead.
  const unread = !req.complete;
  res.writeHead(response.status, { ...response.headers, ...(unread ? { connection: 'close' } : {}) });
  res.end(response.body, () => {
    if (!unread) return;
    socket?.end();
    setTimeout(() => socket?.destroy(), 1000).unref();
  });
}
