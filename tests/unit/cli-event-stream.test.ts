/**
 * cli/event-stream.ts against a scripted text/event-stream server on node:http: what the real
 * route (tests/integration/cli-listen.test.ts) cannot be made to do on cue — go silent, end the
 * stream, answer 503 — and what a reconnection must send (Last-Event-ID) and say (stderr lines).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, CliError } from '@/cli/errors';
import { type EventStreamOptions, streamEvents, type StreamedEvent } from '@/cli/event-stream';
import { forwardHeaders, forwardUrl } from '@/cli/forward';

type Script = (req: IncomingMessage, res: ServerResponse, connection: number) => void;

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(script: Script): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  server = createServer((req, res) => {
    requests.push(req);
    script(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const open = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': connected\n\n');
const message = (id: string, extra: Record<string, unknown> = {}) => `id: ${id}\nevent: event\ndata: ${JSON.stringify({ id, ...extra })}\n\n`;

async function collect(url: string, count: number, options: Partial<EventStreamOptions> = {}) {
  const notices: string[] = [];
  const controller = new AbortController();
  const events: StreamedEvent[] = [];
  const run = (async () => {
    for await (const event of streamEvents({
      credentials: { url, key: 'hy_test' },
      query: { sourceId: 'abc', status: undefined },
      signal: controller.signal,
      notice: (line) => notices.push(line),
      backoff: { initialMs: 20, maxMs: 80 },
      ...options,
    })) {
      events.push(event);
      if (events.length === count) controller.abort();
    }
  })();
  await run;
  return { events, notices };
}

describe('the event stream client', () => {
  it('parses messages (split across chunks), sends the key and the filters, skips comments', async () => {
    const { url, requests } = await serve((_req, res) => {
      open(res);
      const both = message('e1', { eventType: 'a' }) + ': keep-alive\n\n' + message('e2');
      res.write(both.slice(0, 17));
      setTimeout(() => res.write(both.slice(17)), 20);
    });
    const { events, notices } = await collect(url, 2);
    expect(events.map((event) => event.id)).toEqual(['e1', 'e2']);
    expect(events[0]!.item).toEqual({ id: 'e1', eventType: 'a' });
    expect(notices).toEqual(['connected; waiting for new events']);
    expect(requests[0]!.url).toBe('/api/v1/events/stream?sourceId=abc');
    expect(requests[0]!.headers.authorization).toBe('Bearer hy_test');
    expect(requests[0]!.headers['last-event-id']).toBeUndefined();
  });

  it('after the stream ends, a 503 and silence: reconnects with Last-Event-ID each time and says so', async () => {
    const { url, requests } = await serve((_req, res, connection) => {
      if (connection === 1) {
        open(res);
        res.end(message('e1')); // the server restarts
      } else if (connection === 2) {
        res.writeHead(503).end('{}');
      } else if (connection === 3) {
        open(res);
        res.write(message('e2')); // then nothing, not even a keep-alive
      } else {
        open(res);
        res.write(message('e3'));
      }
    });
    const { events, notices } = await collect(url, 3, { silenceMs: 300 });
    expect(events.map((event) => event.id)).toEqual(['e1', 'e2', 'e3']);
    expect(requests.map((req) => req.headers['last-event-id'])).toEqual([undefined, 'e1', 'e1', 'e2']);
    expect(notices).toEqual([
      'connected; waiting for new events',
      'connection lost: the server ended the stream; reconnecting in 0.02s',
      'connection lost: the server answered 503; reconnecting in 0.04s',
      'reconnected; resuming after e1',
      'connection lost: nothing received for 0.3s; reconnecting in 0.02s',
      'reconnected; resuming after e2',
    ]);
  });

  it('a server that takes the connection and never answers is silence too', async () => {
    const { url, requests } = await serve((_req, res, connection) => {
      if (connection === 1) {
        open(res);
        res.end(message('e1'));
      } else if (connection === 3) {
        open(res);
        res.write(message('e2'));
      } // the second: no answer at all
    });
    const { events, notices } = await collect(url, 2, { silenceMs: 300 });
    expect(events.map((event) => event.id)).toEqual(['e1', 'e2']);
    expect(requests).toHaveLength(3);
    expect(notices).toEqual([
      'connected; waiting for new events',
      'connection lost: the server ended the stream; reconnecting in 0.02s',
      'connection lost: no answer for 0.3s; reconnecting in 0.04s',
      'reconnected; resuming after e1',
    ]);
  });

  it('a refused connection after a good one is retried with a doubling delay up to the cap', async () => {
    let connections = 0;
    const { url } = await serve((_req, res) => {
      connections++;
      if (connections === 1) {
        open(res);
        res.write(message('e1'));
        // The server dies: close the listener, then this connection.
        server!.close();
        setTimeout(() => res.destroy(), 10);
      }
    });
    const port = new URL(url).port;
    const notices: string[] = [];
    const controller = new AbortController();
    const seen: string[] = [];
    const run = (async () => {
      for await (const event of streamEvents({
        credentials: { url, key: 'k' },
        query: {},
        signal: controller.signal,
        notice: (line) => notices.push(line),
        backoff: { initialMs: 20, maxMs: 80 },
      })) {
        seen.push(event.id);
        if (seen.length === 2) controller.abort();
      }
    })();
    // Wait for four refused reconnects, then come back on the same port.
    await expect.poll(() => notices.length, { timeout: 5000 }).toBeGreaterThanOrEqual(6);
    server = createServer((_req, res) => {
      open(res);
      res.write(message('e2'));
    });
    await new Promise<void>((resolve) => server!.listen(Number(port), '127.0.0.1', resolve));
    await run;
    expect(seen).toEqual(['e1', 'e2']);
    expect(notices[0]).toBe('connected; waiting for new events');
    expect(notices[1]).toMatch(/^connection lost: .+; reconnecting in 0.02s$/);
    expect(notices.slice(2, 6)).toEqual([
      'connection lost: ECONNREFUSED; reconnecting in 0.04s',
      'connection lost: ECONNREFUSED; reconnecting in 0.08s',
      'connection lost: ECONNREFUSED; reconnecting in 0.08s',
      'connection lost: ECONNREFUSED; reconnecting in 0.08s',
    ]);
    expect(notices.at(-1)).toBe('reconnected; resuming after e1');
  });

  it('401, 404 and 422 are fatal, with the API message; so is a first connection that cannot be made', async () => {
    for (const [status, code] of [
      [401, 'unauthorized'],
      [404, 'not_found'],
      [422, 'validation_error'],
    ] as const) {
      const { url, requests } = await serve((_req, res) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message: `the ${status} message` } }));
      });
      const failure = collect(url, 1);
      await expect(failure).rejects.toBeInstanceOf(ApiError);
      await expect(failure).rejects.toMatchObject({ status, code, apiMessage: `the ${status} message` });
      expect(requests).toHaveLength(1);
      server!.close();
      server = undefined;
    }
    const { url } = await serve(() => undefined);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const unreachable = collect(url, 1);
    await expect(unreachable).rejects.toThrow(CliError);
    await expect(unreachable).rejects.toThrow(`Cannot reach ${url}: ECONNREFUSED`);
  });

  it('a server that is no event stream is an error, not a retry', async () => {
    const { url } = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>'));
    await expect(collect(url, 1)).rejects.toThrow(/not text\/event-stream/);
  });
});

describe("listen's local request", () => {
  it('drops hop-by-hop headers, those the Connection header names, host, content-length and redacted secrets', () => {
    expect(
      forwardHeaders({
        'content-type': 'application/json',
        'stripe-signature': 't=1,v1=abc',
        host: 'hooks.example.com',
        'content-length': '12',
        connection: 'keep-alive, x-hop',
        'x-hop': '1',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        'proxy-authorization': 'Basic x',
        te: 'trailers',
        trailer: 'x',
        upgrade: 'h2c',
        authorization: '[redacted]',
        'User-Agent': 'Stripe/1.0',
      }),
    ).toEqual({ 'content-type': 'application/json', 'stripe-signature': 't=1,v1=abc', 'user-agent': 'Stripe/1.0' });
  });

  it('appends the query string and puts --path-prefix before the path', () => {
    expect(forwardUrl('http://localhost:3000/hooks', undefined, 'a=1&b=2').toString()).toBe('http://localhost:3000/hooks?a=1&b=2');
    expect(forwardUrl('http://localhost:3000/hooks?x=y', undefined, 'a=1').toString()).toBe('http://localhost:3000/hooks?x=y&a=1');
    expect(forwardUrl('http://localhost:3000/stripe', '/api/', null).toString()).toBe('http://localhost:3000/api/stripe');
    expect(forwardUrl('http://localhost:3000', 'api', null).toString()).toBe('http://localhost:3000/api');
  });
});
