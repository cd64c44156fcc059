/**
 * The one local HTTP receiver of the tests, the browser tests and the bench: a node:http server
 * on 127.0.0.1 (random port). Each request is recorded (headers and exact body) unless told not
 * to; how it answers is programmable: a reply function (status codes in sequence, delays,
 * Retry-After), or rules per path ("fail twice, then succeed"), and a hook sees every request as
 * it arrives (the bench's latency clock).
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

/** The answer for the n-th request (1-based) to a path: a status alone gets a small JSON body and `x-sink-request: n`. */
export type SinkRule = (n: number, request: ReceivedRequest) => number | SinkReply;

export interface SinkOptions {
  /** How to answer a request no path rule covers; 200 by default. */
  reply?: (request: ReceivedRequest, index: number) => SinkReply;
  /** Keep every request in `received` (default true; a bench of thousands turns it off). */
  record?: boolean;
  /** Called for each request as its body has arrived, before it is answered. */
  onRequest?: (request: ReceivedRequest) => void;
}

export interface Sink {
  url: string;
  received: ReceivedRequest[];
  /** How requests to `path` (without its query) answer from now on; its count keeps going. */
  on(path: string, rule: SinkRule): void;
  /** How many requests `path` has had. */
  countFor(path: string): number;
  /** Requests currently open, by x-hookyard-delivery-id; tests check no delivery is sent twice at once. */
  maxConcurrentPerDelivery: number;
  /** Requests open right now, and the most that were open at once (what a destination's max_concurrency bounds). */
  openNow: number;
  maxConcurrent: number;
  reply: (request: ReceivedRequest, index: number) => SinkReply;
  close(): Promise<void>;
}

function ruleReply(n: number, answer: number | SinkReply): SinkReply {
  if (typeof answer !== 'number') return answer;
  const ok = answer >= 200 && answer < 300;
  return {
    status: answer,
    headers: { 'content-type': 'application/json', 'x-sink-request': String(n) },
    body: JSON.stringify(ok ? { received: true } : { error: 'sink says no', attempt: n, note: '<b>not markup</b>' }),
  };
}

/** `startSink(reply)` is short for `startSink({ reply })`. */
export async function startSink(options: SinkOptions | SinkOptions['reply'] = {}): Promise<Sink> {
  const { reply = () => ({ status: 200 }), record = true, onRequest } = typeof options === 'function' ? { reply: options } : options;
  const open = new Map<string, number>();
  const rules = new Map<string, SinkRule>();
  const counts = new Map<string, number>();
  let seen = 0;
  const sink: Sink = {
    url: '',
    received: [],
    on: (path, rule) => void rules.set(path, rule),
    countFor: (path) => counts.get(path) ?? 0,
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
      const index = seen++;
      if (record) sink.received.push(request);
      onRequest?.(request);
      const path = request.path.split('?')[0]!;
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      const rule = rules.get(path);
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
      const answer = rule ? ruleReply(n, rule(n, request)) : sink.reply(request, index);
      const send = () => {
        if (res.destroyed) return close();
        request.answeredAt = Date.now();
        close();
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      };
      // At once unless told to wait: the bench measures how fast deliveries go out.
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
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

export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
