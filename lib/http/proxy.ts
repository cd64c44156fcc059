/**
 * A reverse proxy to an HTTP server on a Unix socket: how server.ts hands everything but ingest
 * to the Next.js process (lib/web/dashboard-process.ts). Requests and responses stream through
 * unchanged (status, headers, repeated Set-Cookie included, bodies chunk by chunk), over
 * kept-alive connections; only hop-by-hop headers stay on their own hop. When the upstream is
 * down (the launcher is restarting it) the answer is a 503 with Retry-After and a JSON error (and
 * onError hears why), so that clients and browsers come back shortly; a client that goes away
 * (a browser cancels prefetches all the time) aborts the upstream request, quietly.
 */
import { Agent, type IncomingMessage, type OutgoingHttpHeaders, request, type ServerResponse } from 'node:http';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function hopByHop(connectionHeader: string | string[] | undefined): Set<string> {
  const names = new Set(HOP_BY_HOP);
  for (const value of [connectionHeader ?? []].flat()) {
    for (const name of value.split(',')) if (name.trim()) names.add(name.trim().toLowerCase());
  }
  return names;
}

/**
 * The request's headers as parsed, and as server.ts amended them (it overwrites the client-address
 * header, so a client's own copy never reaches the upstream), without the hop-by-hop ones.
 */
function requestHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  const drop = hopByHop(req.headers.connection);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !drop.has(name)) headers[name] = value;
  return headers;
}

/** A response's raw headers ([name, value, name, value, …], as sent) without the hop-by-hop ones. */
function responseHeaders(rawHeaders: string[], connectionHeader: string | string[] | undefined): string[] {
  const drop = hopByHop(connectionHeader);
  const kept: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!drop.has(rawHeaders[i]!.toLowerCase())) kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return kept;
}

const UNAVAILABLE = JSON.stringify({ error: { code: 'unavailable', message: 'The dashboard is not answering right now; retry in a moment' } });

export type ProxyHandler = ((req: IncomingMessage, res: ServerResponse) => void) & { close(): void };

export function proxyToSocket(socketPath: string, options: { onError?: (error: Error) => void } = {}): ProxyHandler {
  // No cap on sockets: a slow request (a long search) must not make the others queue behind it.
  const agent = new Agent({ keepAlive: true });

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = request({
      agent,
      socketPath,
      method: req.method,
      path: req.url,
      headers: requestHeaders(req),
      setHost: false,
    });

    let clientGone = false;
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, responseHeaders(answer.rawHeaders, answer.headers.connection));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error) => {
      if (clientGone) return; // our own abort, below: nobody to answer, nothing went wrong upstream
      if (res.headersSent) {
        res.destroy();
        return;
      }
      options.onError?.(error);
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
      res.end(UNAVAILABLE);
    });
    // The client went away before the answer was complete: stop the upstream work too.
    res.on('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      upstream.destroy();
    });
    req.pipe(upstream);
  };
  return Object.assign(handler, { close: () => agent.destroy() });
}

/** "ok" when the server on the socket answers `GET path` with a 2xx within `timeoutMs`, else why not. */
export function probeSocket(socketPath: string, path: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve) => {
    const probe = request({ socketPath, path, method: 'GET', timeout: timeoutMs }, (answer) => {
      answer.resume();
      resolve(answer.statusCode && answer.statusCode < 300 ? 'ok' : `answered ${answer.statusCode}`);
    });
    probe.on('timeout', () => probe.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    probe.on('error', (error: NodeJS.ErrnoException) =>
      resolve(`not answering: ${error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'not running' : error.message}`),
    );
    probe.end();
  });
}
