/**
 * A real local HTTP receiver for delivery tests. Each request is recorded (headers and exact
 * body); how it answers is programmable per test: status codes in sequence, delays, Retry-After.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  at: number;
  /** When the answer was written (undefined while the request is open, or if its client went away). */
  answeredAt?: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SinkReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

export interface Sink {
  url: string;
  received: ReceivedRequest[];
  /** Requests currently open, by x-hookyard-delivery-id; tests check no delivery is sent twice at once. */
  maxConcurrentPerDelivery: number;
  /** Requests open right now, and the most that were open at once (what a destination's max_concurrency bounds). */
  openNow: number;
  maxConcurrent: number;
  reply: (request: ReceivedRequest, index: number) => SinkReply;
  close(): Promise<void>;
}

export async function startSink(reply: (request: ReceivedRequest, index: number) => SinkReply = () => ({ status: 200 })): Promise<Sink> {
  const open = new Map<string, number>();
  const sink: Sink = {
    url: '',
    received: [],
    maxConcurrentPerDelivery: 0,
    openNow: 0,
    maxConcurrent: 0,
    reply,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = { at: Date.now(), method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      const index = sink.received.push(request) - 1;
      const deliveryId = String(req.headers['x-hookyard-delivery-id'] ?? '');
      open.set(deliveryId, (open.get(deliveryId) ?? 0) + 1);
      sink.maxConcurrentPerDelivery = Math.max(sink.maxConcurrentPerDelivery, open.get(deliveryId)!);
      sink.maxConcurrent = Math.max(sink.maxConcurrent, ++sink.openNow);
      // A request stops being open when it is answered or its client goes away, whichever is first.
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        sink.openNow--;
        open.set(deliveryId, (open.get(deliveryId) ?? 1) - 1);
      };
      res.once('close', close);
      const answer = sink.reply(request, index);
      setTimeout(() => {
        if (res.destroyed) return close();
        request.answeredAt = Date.now();
        close();
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      }, answer.delayMs ?? 0);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sink.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sink;
}

export async function waitFor<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
