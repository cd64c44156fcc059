/**
 * server.ts's proxy to the Next.js process (lib/http/proxy.ts), between real HTTP servers: an
 * upstream on a Unix socket and a front on a TCP port that stamps the client's address as
 * server.ts does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_IP_HEADER } from '@/lib/http/client-ip';
import { type ProxyHandler, proxyToSocket } from '@/lib/http/proxy';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function listen(server: Server, where: string | number): Promise<void> {
  return new Promise((resolve) => server.listen(where as never, resolve));
}

async function setup(answer: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hookyard-proxy-test-'));
  const socketPath = path.join(dir, 'next.sock');
  const seen: Seen[] = [];
  const upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(entry);
      answer(req, res, entry);
    });
  });
  await listen(upstream, socketPath);
  const errors: Error[] = [];
  const proxy: ProxyHandler = proxyToSocket(socketPath, { onError: (error) => errors.push(error) });
  const front = createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? '';
    proxy(req, res);
  });
  await listen(front, 0);
  cleanups.push(() => {
    proxy.close();
    front.closeAllConnections();
    upstream.closeAllConnections();
    return Promise.all([new Promise((r) => front.close(r)), new Promise((r) => upstream.close(r))]).then(() => rmSync(dir, { recursive: true, force: true }));
  });
  const port = (front.address() as AddressInfo).port;
  return { seen, upstream, errors, port, url: `http://127.0.0.1:${port}` };
}

describe('proxyToSocket', () => {
  it('passes method, path, query, Host and body through, and the answer back with every header', async () => {
    const { seen, url, port } = await setup((_req, res) => {
      res.writeHead(
        201,
        'Made It',
        [
          ['set-cookie', 'a=1; Path=/'],
          ['set-cookie', 'b=2; HttpOnly'],
          ['x-upstream', 'yes'],
        ].flat(),
      );
      res.end('created');
    });
    const response = await fetch(`${url}/api/v1/things?x=1&y=%20`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=abc' },
      body: JSON.stringify({ name: 'thing' }),
    });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made It');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(await response.text()).toBe('created');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/v1/things?x=1&y=%20', body: '{"name":"thing"}' });
    expect(seen[0]!.headers).toMatchObject({ host: `127.0.0.1:${port}`, 'content-type': 'application/json', cookie: 'session=abc' });
  });

  it("keeps the client's Host, replaces its client-address header with the socket's, and keeps hop-by-hop headers on their hop", async () => {
    const { seen, port } = await setup((_req, res) => res.end('ok'));
    // A raw request, so that the client can send what fetch would not.
    await new Promise<void>((resolve, reject) => {
      const req = request(
        {
          port,
          host: '127.0.0.1',
          path: '/',
          headers: {
            host: 'hooks.example.com',
            [CLIENT_IP_HEADER]: '203.0.113.9',
            connection: 'keep-alive, x-private-hop',
            'x-private-hop': 'secret',
            'keep-alive': 'timeout=5',
          },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(seen[0]!.headers.host).toBe('hooks.example.com');
    expect(seen[0]!.headers[CLIENT_IP_HEADER]).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(seen[0]!.headers['x-private-hop']).toBeUndefined();
    expect(seen[0]!.headers['keep-alive']).toBeUndefined();
  });

  it('streams a large request body up and a slow answer down as it comes', async () => {
    let release: () => void = () => undefined;
    const { seen, url } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      release = () => res.end('second');
    });
    const body = 'x'.repeat(3 * 1024 * 1024);
    const response = await fetch(url, { method: 'PUT', body });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('first;'); // before the upstream has finished
    release();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += Buffer.from(chunk.value).toString();
    expect(rest).toBe('second');
    expect(seen[0]!.body.length).toBe(body.length);
  });

  it('answers 503 with Retry-After and a JSON error when nothing listens on the socket', async () => {
    const { upstream, errors, url } = await setup((_req, res) => res.end('ok'));
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
    const response = await fetch(url);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({ error: { code: 'unavailable', message: expect.stringMatching(/not answering/) } });
    expect(errors.map((error) => (error as { code?: string }).code)).toEqual(['ENOENT']);
  });

  it('aborts the upstream request when the client goes away, without calling that an upstream failure', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const { url, errors } = await setup((_req, res) => {
      res.writeHead(200);
      res.write('started');
      res.on('close', upstreamClosed); // never ended by the upstream itself
    });
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    await response.body!.getReader().read();
    controller.abort();
    await expect(closed).resolves.toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors).toEqual([]);
  });

  it('says nothing when a client gives up before the upstream answered', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const { seen, url, errors } = await setup((_req, res) => res.on('close', upstreamClosed)); // never answers
    const controller = new AbortController();
    const pending = fetch(url, { signal: controller.signal }).catch((error: unknown) => error);
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await pending;
    await expect(closed).resolves.toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors).toEqual([]);
  });
});
