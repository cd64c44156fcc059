/**
 * One scrape describes the whole deployment, and traces cross the webhook hop: two real web
 * processes (server.ts, the lean ingest path) and a real worker process (scripts/worker.ts) on
 * one database, with OTEL_EXPORTER_OTLP_ENDPOINT pointed at an OTLP/HTTP receiver in this test.
 * Events go in through both web processes; the worker delivers them to a local sink (one
 * destination fails twice before it answers). Then:
 *  - one scrape, through web process 1 (which proxies /api/metrics to the dashboard socket, served
 *    here by the real route handler), shows the sum of both web processes' ingest and the
 *    worker's attempts, and holds no secret value;
 *  - the forwarded request of an event that came with a traceparent keeps the provider's trace
 *    id and its tracestate; the three attempts of an event that came without one share one trace
 *    id (the event's), each with its own parent;
 *  - the receiver got the ingest spans and the attempt spans, with those trace ids, the attempt
 *    spans below the ingest span and the forwarded requests below the attempt spans.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GET as metricsRoute } from '@/app/api/metrics/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { db } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { ingestSpanId, traceIdOfEvent } from '@/lib/tracing/trace-context';
import { freePort, until } from '../faults/support/launcher';
import { addSigningSecret, createTestDestination, createTestRoute, createTestSource } from '../support/fixtures';
import { parseScrape } from '../support/prometheus';
import { type Sink, startSink } from '../support/sink';
import { startWorkerProcess, waitForRegistration, type WorkerProcess } from '../support/worker-process';

const PROVIDER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PROVIDER_PARENT = '00f067aa0ba902b7';
const TRACESTATE = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE';
const DESTINATION_HEADER = 'Bearer deployment-destination-token-5a4b3c2d1e';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  service: string;
}

let sink: Sink;
let receiver: Server;
let dashboard: Server;
let worker: WorkerProcess;
const webs: { child: ChildProcess; port: number; output: () => string }[] = [];
const spans: OtlpSpan[] = [];
const otlpBodies: string[] = [];
let socketDir: string;
let viewerKey: string;
let signingSecret: string;
let slug: string;

/** The OTLP/HTTP receiver: POST /v1/traces with the JSON encoding the exporter sends. */
async function startReceiver(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (req.url !== '/v1/traces' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const text = body.toString('utf8');
      otlpBodies.push(text);
      const payload = JSON.parse(text) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { spans: Omit<OtlpSpan, 'service'>[] }[];
        }[];
      };
      for (const resource of payload.resourceSpans) {
        const service = resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}` };
}

/** The dashboard socket the web processes proxy everything but ingest and health to: here, the real /api/metrics route handler. */
async function startDashboard(socket: string): Promise<Server> {
  const server = createServer((req: IncomingMessage, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>),
      duplex: 'half',
    } as RequestInit);
    const answer = (req.url ?? '').split('?')[0] === '/api/metrics' ? metricsRoute(request) : Promise.resolve(new Response('not here', { status: 404 }));
    void answer.then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return server;
}

async function startWeb(socket: string, otlpUrl: string, name: string) {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      PORT: String(port),
      HOOKYARD_DASHBOARD_SOCKET: socket,
      HOOKYARD_PROCESS: 'web',
      LOG_LEVEL: 'warn',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
      OTEL_SERVICE_NAME: name,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const web = { child, port, output: () => output };
  webs.push(web);
  await until(
    async () => (await fetch(`http://127.0.0.1:${port}/api/health/live`).catch(() => null))?.ok,
    60_000,
    `web process on ${port} to listen; its output: ${output.slice(-500)}`,
  );
  return web;
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

beforeAll(async () => {
  sink = await startSink();
  sink.on('/flaky', (n) => (n <= 2 ? 500 : 200));
  const otlp = await startReceiver();
  receiver = otlp.server;
  socketDir = mkdtempSync(path.join(os.tmpdir(), 'hookyard-metrics-'));
  const socket = path.join(socketDir, 'dashboard.sock');
  dashboard = await startDashboard(socket);

  const { source } = await createTestSource({ provider: 'none', data: { eventTypeJsonPath: 'type' } });
  slug = source.slug;
  const steady = await createTestDestination({ url: `${sink.url}/ok`, data: { name: 'steady', headers: { authorization: DESTINATION_HEADER } } });
  signingSecret = await addSigningSecret(steady.id);
  const flaky = await createTestDestination({ url: `${sink.url}/flaky`, data: { name: 'flaky', retrySchedule: [0, 1, 1, 1] } });
  await createTestRoute({ sourceId: source.id, destinationId: steady.id, eventTypes: ['steady'] });
  await createTestRoute({ sourceId: source.id, destinationId: flaky.id, eventTypes: ['flaky'] });
  viewerKey = (await issueApiKey({ name: 'prometheus', role: 'VIEWER' }, 'system')).key;

  await startWeb(socket, otlp.url, 'hookyard-web-1');
  await startWeb(socket, otlp.url, 'hookyard-web-2');
  worker = startWorkerProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_SERVICE_NAME: 'hookyard-worker', OTEL_BSP_SCHEDULE_DELAY: '100' });
  await waitForRegistration(worker);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await Promise.all(webs.map((web) => stop(web.child)));
  await sink?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await new Promise((resolve) => dashboard?.close(resolve));
  if (socketDir) rmSync(socketDir, { recursive: true, force: true });
  await db().$disconnect();
  await closeSql();
});

async function ingest(port: number, type: string, n: number, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/ingest/${slug}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ type, n }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
};

it('sums both web processes and the worker in one scrape, and carries the trace through the hop to the OTLP receiver', async () => {
  const [web1, web2] = webs as [(typeof webs)[0], (typeof webs)[0]];
  const traced = await ingest(web1.port, 'steady', 1, { traceparent: `00-${PROVIDER_TRACE}-${PROVIDER_PARENT}-01`, tracestate: TRACESTATE });
  await ingest(web1.port, 'steady', 2);
  await ingest(web1.port, 'steady', 3);
  await ingest(web2.port, 'steady', 4);
  const retried = await ingest(web2.port, 'flaky', 5);

  await until(() => sink.countFor('/ok') >= 4 && sink.countFor('/flaky') >= 3, 30_000, 'the worker to deliver everything');

  // Counters reach the database about a second after they are counted, in each process.
  const expected = (text: string) => {
    const metrics = parseScrape(text);
    return (
      metrics.value('hookyard_ingest_requests_total', { source: slug, status: 'accepted' }) === 5 &&
      metrics.value('hookyard_delivery_attempts_total', { destination: 'steady', outcome: 'succeeded' }) === 4 &&
      metrics.value('hookyard_delivery_attempts_total', { destination: 'flaky', outcome: 'failed' }) === 2 &&
      metrics.value('hookyard_delivery_attempts_total', { destination: 'flaky', outcome: 'succeeded' }) === 1 &&
      metrics
    );
  };
  const metrics = await until(
    async () => {
      const response = await fetch(`http://127.0.0.1:${web1.port}/api/metrics`, { headers: { authorization: `Bearer ${viewerKey}` } });
      expect(response.status).toBe(200);
      return expected(await response.text());
    },
    20_000,
    'one scrape to show both web processes and the worker',
    200,
  );
  expect(metrics.value('hookyard_events_accepted_total', { source: slug })).toBe(5);
  expect(metrics.value('hookyard_ingest_requests_total', { source: slug, status: 'rejected' })).toBe(0);
  expect(metrics.histogram('hookyard_delivery_attempt_duration_seconds', { destination: 'flaky' }).count).toBe(3);
  expect(metrics.value('hookyard_deliveries_pending', { destination: 'steady' })).toBe(0);
  expect(metrics.value('hookyard_workers_live')).toBe(1);
  expect((await fetch(`http://127.0.0.1:${web2.port}/api/metrics`)).status).toBe(401);
  for (const secret of [signingSecret, signingSecret.slice(6), DESTINATION_HEADER, 'deployment-destination-token', viewerKey])
    expect(metrics.text).not.toContain(secret);

  // The provider's trace goes on to the destination, with its tracestate.
  const tracedRequest = sink.received.find((r) => r.headers['x-hookyard-event-id'] === traced)!;
  const [, traceId, parentOfDestination, flags] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(String(tracedRequest.headers.traceparent))!;
  expect(traceId).toBe(PROVIDER_TRACE);
  expect(flags).toBe('01');
  expect(parentOfDestination).not.toBe(PROVIDER_PARENT);
  expect(tracedRequest.headers.tracestate).toBe(TRACESTATE);

  // Without one, the event's own trace: the same id on every attempt, a new parent each time.
  const retries = sink.received.filter((r) => r.headers['x-hookyard-event-id'] === retried);
  expect(retries).toHaveLength(3);
  const parsed = retries.map((r) => /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(String(r.headers.traceparent))!);
  expect(new Set(parsed.map((m) => m[1]))).toEqual(new Set([traceIdOfEvent(retried)]));
  expect(new Set(parsed.map((m) => m[2])).size).toBe(3);
  expect(retries.every((r) => r.headers.tracestate === undefined)).toBe(true);

  // The spans reach the receiver: ingest spans from the web processes, attempt spans from the worker.
  await until(
    () =>
      spans.some((s) => s.traceId === PROVIDER_TRACE && s.kind === 3) &&
      spans.filter((s) => s.traceId === traceIdOfEvent(retried) && s.kind === 3).length === 3 &&
      spans.some((s) => s.traceId === traceIdOfEvent(retried) && s.kind === 2),
    20_000,
    'the ingest and attempt spans at the OTLP receiver',
  );
  const tracedIngest = spans.find((s) => s.traceId === PROVIDER_TRACE && s.kind === 2)!;
  expect(tracedIngest).toMatchObject({
    name: 'POST /api/ingest/{source}',
    parentSpanId: PROVIDER_PARENT,
    spanId: ingestSpanId(traced),
    service: 'hookyard-web-1',
  });
  expect(attribute(tracedIngest, 'hookyard.source')).toBe(slug);
  expect(attribute(tracedIngest, 'hookyard.event.id')).toBe(traced);
  expect(Number(attribute(tracedIngest, 'http.response.status_code'))).toBe(202);
  const tracedAttempt = spans.find((s) => s.traceId === PROVIDER_TRACE && s.kind === 3)!;
  expect(tracedAttempt).toMatchObject({ parentSpanId: ingestSpanId(traced), spanId: parentOfDestination, service: 'hookyard-worker', name: 'POST steady' });
  expect(attribute(tracedAttempt, 'hookyard.destination')).toBe('steady');

  const retriedIngest = spans.find((s) => s.traceId === traceIdOfEvent(retried) && s.kind === 2)!;
  expect(retriedIngest.parentSpanId ?? '').toBe('');
  expect(retriedIngest.service).toBe('hookyard-web-2');
  const attempts = spans.filter((s) => s.traceId === traceIdOfEvent(retried) && s.kind === 3);
  expect(attempts.every((s) => s.parentSpanId === retriedIngest.spanId)).toBe(true);
  expect(new Set(attempts.map((s) => s.spanId))).toEqual(new Set(parsed.map((m) => m[2])));
  expect(attempts.map((s) => Number(attribute(s, 'http.response.status_code'))).sort()).toEqual([200, 500, 500]);
  expect(attempts.filter((s) => attribute(s, 'error.type') === 'http_status')).toHaveLength(2);
  for (const body of otlpBodies)
    for (const secret of [signingSecret, signingSecret.slice(6), DESTINATION_HEADER, viewerKey]) expect(body).not.toContain(secret);
}, 120_000);
