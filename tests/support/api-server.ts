/**
 * A real HTTP server for the /api/v1 route handlers a client test needs, without `next build`:
 * node:http hands each request to the app's own route module (the same exports Next.js calls),
 * the way tests/support/ingest-server.ts mounts the ingest route. Used by the CLI tests, which
 * run the CLI as a subprocess against it, and the event stream's tests. A text/event-stream answer
 * is passed on chunk by chunk, as Next.js passes it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import * as destinations from '@/app/api/v1/destinations/route';
import * as event from '@/app/api/v1/events/[id]/route';
import * as eventReplay from '@/app/api/v1/events/[id]/replay/route';
import * as events from '@/app/api/v1/events/route';
import * as eventStream from '@/app/api/v1/events/stream/route';
import * as replay from '@/app/api/v1/replays/[id]/route';
import * as replayCancel from '@/app/api/v1/replays/[id]/cancel/route';
import * as replays from '@/app/api/v1/replays/route';
import * as sources from '@/app/api/v1/sources/route';
import { CLIENT_IP_HEADER } from '@/lib/http/client-ip';

type Handler = (request: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Path patterns (`:id` is one segment) and their route modules. */
const ROUTES: [pattern: string, module: Record<string, unknown>][] = [
  ['/api/v1/sources', sources],
  ['/api/v1/destinations', destinations],
  ['/api/v1/events', events],
  ['/api/v1/events/stream', eventStream],
  ['/api/v1/events/:id', event],
  ['/api/v1/events/:id/replay', eventReplay],
  ['/api/v1/replays', replays],
  ['/api/v1/replays/:id', replay],
  ['/api/v1/replays/:id/cancel', replayCancel],
];

function match(pathname: string): { module: Record<string, unknown>; params: Record<string, string> } | null {
  const parts = pathname.split('/');
  for (const [pattern, module] of ROUTES) {
    const expected = pattern.split('/');
    if (expected.length !== parts.length) continue;
    const params: Record<string, string> = {};
    if (expected.every((segment, i) => (segment.startsWith(':') ? ((params[segment.slice(1)] = decodeURIComponent(parts[i]!)), true) : segment === parts[i]))) {
      return { module, params };
    }
  }
  return null;
}

function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers,
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>),
    duplex: 'half',
    signal,
  } as RequestInit);
}

export interface RunningApiServer {
  url: string;
  close(): Promise<void>;
}

/** `port` 0 picks a free one; a restarted server (tests/support/api-server-process.ts) asks for its old one. */
export async function startApiServer(options: { port?: number } = {}): Promise<RunningApiServer> {
  const server: Server = createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? '';
    const found = match(new URL(req.url ?? '/', 'http://localhost').pathname);
    const handler = found?.module[req.method ?? 'GET'] as Handler | undefined;
    if (!found || !handler) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: 'No such route' } }));
      return;
    }
    // As Next.js does: the request's signal aborts when the client goes away.
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    handler(toRequest(req, gone.signal), { params: Promise.resolve(found.params) })
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body && response.headers.get('content-type')?.startsWith('text/event-stream')) {
          // A stream: pass each chunk on as it comes, and cancel it when the client goes away.
          res.flushHeaders();
          const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
          res.on('close', () => body.destroy());
          body.pipe(res);
          return;
        }
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // open event streams would hold close() forever
      }),
  };
}
