/**
 * Real HTTP servers for ingest tests, one per entry point: the lean node:http path that
 * `npm start` uses (server.ts → lib/ingest/node-ingest.ts) and the Next.js route handler
 * (app/api/ingest/[source]/route.ts) mounted on node:http the way Next.js hands it a Request.
 * The same tests run against both.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { POST as routeHandler } from '@/app/api/ingest/[source]/route';
import { CLIENT_IP_HEADER } from '@/lib/http/client-ip';
import { ingestSlug, serveIngest } from '@/lib/ingest/node-ingest';

export type IngestEntry = 'lean server' | 'route handler';
export const INGEST_ENTRIES: IngestEntry[] = ['lean server', 'route handler'];

async function viaRouteHandler(req: IncomingMessage, res: ServerResponse, slug: string) {
  const socket = req.socket;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const request = new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers,
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>),
    duplex: 'half',
  } as RequestInit);
  const response = await routeHandler(request, { params: Promise.resolve({ source: slug }) });
  const unread = !req.complete;
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...(unread ? { connection: 'close' } : {}) });
  res.end(Buffer.from(await response.arrayBuffer()), () => {
    if (unread) socket?.destroy();
  });
}

export interface RunningIngestServer {
  url: string;
  ingestUrl(slug: string): string;
  close(): Promise<void>;
}

export async function startIngestServer(entry: IngestEntry): Promise<RunningIngestServer> {
  const server: Server = createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? '';
    const slug = ingestSlug(req);
    if (slug === null) {
      res.writeHead(404).end();
      return;
    }
    const serve = entry === 'lean server' ? serveIngest(req, res, slug) : viaRouteHandler(req, res, slug);
    serve.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    ingestUrl: (slug) => `${url}/api/ingest/${slug}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
