/**
 * A tiny local receiver for the browser tests: a node:http server on 127.0.0.1 (random port) that
 * records every forward and answers per path as the test says — e.g. "fail twice, then succeed",
 * or "500 until fixed". Paths without a rule answer 200.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Decides the status for the n-th request (1-based) to a path. */
export type SinkRule = (n: number, request: SinkRequest) => number;

export interface E2ESink {
  url: string;
  received: SinkRequest[];
  /** How `path` answers from now on (the count keeps going). */
  on(path: string, rule: SinkRule): void;
  countFor(path: string): number;
  close(): Promise<void>;
}

export async function startSink(): Promise<E2ESink> {
  const rules = new Map<string, SinkRule>();
  const counts = new Map<string, number>();
  const received: SinkRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const request = { path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      const status = rules.get(path)?.(n, request) ?? 200;
      const ok = status >= 200 && status < 300;
      res
        .writeHead(status, { 'content-type': 'application/json', 'x-sink-request': String(n) })
        .end(JSON.stringify(ok ? { received: true } : { error: 'sink says no', attempt: n, note: '<b>not markup</b>' }));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    on: (path, rule) => rules.set(path, rule),
    countFor: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
