/**
 * GET /api/metrics in one process: who may read it, what it says after real ingest and real
 * deliveries (parsed by a Prometheus text parser), that no secret value is in it, and that its
 * counters do not go backwards when retention deletes the minute and hour rows they were read from.
 * The whole deployment (two web processes and a worker in one scrape) is in metrics-deployment.test.ts.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/metrics/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { flushIngestStats } from '@/lib/ingest/ingest-stats';
import { flushRejections } from '@/lib/ingest/record-rejection';
import { LATENCY_BUCKETS_MS } from '@/lib/metrics/latency-buckets';
import { flushDeliveryStats } from '@/lib/worker/delivery-stats';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { runRetention } from '@/lib/worker/retention';
import { addSigningSecret, createTestDestination, createTestRoute, createTestSource } from '../support/fixtures';
import { type RunningIngestServer, startIngestServer } from '../support/ingest-server';
import { parseScrape } from '../support/prometheus';
import { type Sink, startSink } from '../support/sink';
import { waitForEvents } from '../support/worker-events';

const STRIPE_SECRET = 'whsec_metrics_source_secret_value_0123456789';
const DESTINATION_HEADER = 'Bearer destination-header-token-9f8e7d6c5b4a';
const stripe = new Stripe('sk_test_unused');

let server: RunningIngestServer;
let sink: Sink;
let worker: DeliveryWorker;
let viewerKey: string;
let adminKey: string;
let signingSecret: string;
let sourceSlug: string;
let destinationName: string;

const scrape = (headers: Record<string, string> = {}) => GET(new Request('http://localhost/api/metrics', { headers }));

beforeAll(async () => {
  server = await startIngestServer('lean server');
  sink = await startSink();
  const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: STRIPE_SECRET }] });
  sourceSlug = source.slug;
  const destination = await createTestDestination({ url: `${sink.url}/hook`, data: { headers: { authorization: DESTINATION_HEADER } } });
  destinationName = destination.name;
  signingSecret = await addSigningSecret(destination.id);
  await createTestRoute({ sourceId: source.id, destinationId: destination.id });
  viewerKey = (await issueApiKey({ name: 'prometheus', role: 'VIEWER' }, 'system')).key;
  adminKey = (await issueApiKey({ name: 'admin', role: 'ADMIN' }, 'system')).key;
  worker = new DeliveryWorker(sql, { pollIntervalMs: 50 });
  await worker.start();
});

afterAll(async () => {
  delete process.env.HOOKYARD_METRICS_PUBLIC;
  await worker?.stop();
  await server?.close();
  await sink?.close();
  await db().$disconnect();
  await closeSql();
});

async function post(body: string, signed: boolean) {
  const signature = signed ? stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_SECRET }) : 't=1,v1=00';
  return fetch(server.ingestUrl(sourceSlug), { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });
}

describe('who may read it', () => {
  it('answers 401 in the error shape without a key, and with a bad one', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer hky_not_a_real_key_at_all_0000000000000000000000' }]) {
      const response = await scrape(headers);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unauthorized');
      expect(typeof body.error.message).toBe('string');
    }
  });

  it('answers any API key, the lowest role included, with Prometheus text', async () => {
    const response = await scrape({ authorization: `Bearer ${viewerKey}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(parseScrape(await response.text()).families.has('hookyard_workers_live')).toBe(true);
  });

  it('answers without a key when HOOKYARD_METRICS_PUBLIC=true', async () => {
    process.env.HOOKYARD_METRICS_PUBLIC = 'true';
    try {
      const response = await scrape();
      expect(response.status).toBe(200);
      expect(parseScrape(await response.text()).families.has('hookyard_ingest_requests_total')).toBe(true);
    } finally {
      delete process.env.HOOKYARD_METRICS_PUBLIC;
    }
    expect((await scrape()).status).toBe(401);
  });
});

describe('what it says', () => {
  it('counts ingest by status, attempts by outcome with their durations, the queue, circuits, alerts and workers', async () => {
    const attempts = waitForEvents(worker, 'attempt:finish', 3);
    const bodies = [1, 2, 3].map((n) => JSON.stringify({ id: `evt_metrics_${n}`, type: 'invoice.paid' }));
    for (const body of bodies) expect((await post(body, true)).status).toBe(202);
    expect((await post(bodies[0]!, true)).status).toBe(200); // the same Stripe event again: a duplicate
    expect((await post(JSON.stringify({ id: 'evt_forged', type: 'x' }), false)).status).toBe(401);
    expect((await post(JSON.stringify({ id: 'evt_forged2', type: 'x' }), false)).status).toBe(401);
    await attempts;
    await Promise.all([flushIngestStats(), flushRejections(), flushDeliveryStats()]);

    const response = await scrape({ authorization: `Bearer ${viewerKey}` });
    const metrics = parseScrape(await response.text());
    expect(metrics.value('hookyard_ingest_requests_total', { source: sourceSlug, status: 'accepted' })).toBe(3);
    expect(metrics.value('hookyard_ingest_requests_total', { source: sourceSlug, status: 'duplicate' })).toBe(1);
    expect(metrics.value('hookyard_ingest_requests_total', { source: sourceSlug, status: 'rejected' })).toBe(2);
    expect(metrics.value('hookyard_events_accepted_total', { source: sourceSlug })).toBe(3);
    expect(metrics.value('hookyard_delivery_attempts_total', { destination: destinationName, outcome: 'succeeded' })).toBe(3);
    expect(metrics.value('hookyard_delivery_attempts_total', { destination: destinationName, outcome: 'failed' })).toBe(0);
    expect(metrics.families.get('hookyard_delivery_attempts_total')?.type).toBe('COUNTER');

    const histogram = metrics.families.get('hookyard_delivery_attempt_duration_seconds')!;
    expect(histogram.type).toBe('HISTOGRAM');
    const durations = metrics.histogram('hookyard_delivery_attempt_duration_seconds', { destination: destinationName });
    expect(durations.buckets.map(([le]) => le)).toEqual([...LATENCY_BUCKETS_MS.map((ms) => String(ms / 1000)), '+Inf']);
    expect(durations.buckets.at(-1)).toEqual(['+Inf', 3]);
    expect(durations.count).toBe(3);
    expect(durations.sum).toBeGreaterThanOrEqual(0);

    expect(metrics.value('hookyard_deliveries_pending', { destination: destinationName })).toBe(0);
    expect(metrics.value('hookyard_oldest_pending_delivery_seconds', { destination: destinationName })).toBe(0);
    expect(metrics.value('hookyard_destination_circuit_open', { destination: destinationName })).toBe(0);
    expect(metrics.value('hookyard_alerts_open', { kind: 'destination_circuit_open' })).toBe(0);
    expect(metrics.families.get('hookyard_alerts_open')?.metrics).toHaveLength(8);
    expect(metrics.value('hookyard_workers_live')).toBe(1);
  });

  it('reports a waiting backlog, an open circuit and an open alert as they stand in the database', async () => {
    const destination = await createTestDestination({
      url: `${sink.url}/held`,
      data: { name: 'held by its circuit', circuitState: 'open', circuitOpenedAt: new Date(), circuitRetryAt: new Date(Date.now() + 3_600_000) },
    });
    const source = await db().source.findUniqueOrThrow({ where: { slug: sourceSlug } });
    await db().$executeRaw`
      WITH e AS (
        INSERT INTO events (id, source_id, received_at, headers, body, content_type, size, verification)
        SELECT gen_random_uuid(), ${source.id}::uuid, now() - make_interval(secs => 120 - g), '{}'::jsonb, convert_to('{}', 'UTF8'), 'application/json', 2, 'unverified'
        FROM generate_series(1, 4) AS g RETURNING id, received_at)
      INSERT INTO deliveries (id, event_id, source_id, destination_id, status, next_attempt_at, created_at, updated_at)
      SELECT gen_random_uuid(), e.id, ${source.id}::uuid, ${destination.id}::uuid, 'pending', e.received_at, e.received_at, e.received_at FROM e`;
    await db().alert.create({ data: { kind: 'destination_circuit_open', destinationId: destination.id, message: 'circuit open' } });

    const metrics = parseScrape(await (await scrape({ authorization: `Bearer ${viewerKey}` })).text());
    const labels = { destination: 'held by its circuit' };
    expect(metrics.value('hookyard_deliveries_pending', labels)).toBe(4);
    expect(metrics.value('hookyard_oldest_pending_delivery_seconds', labels)).toBeGreaterThanOrEqual(118);
    expect(metrics.value('hookyard_oldest_pending_delivery_seconds', labels)).toBeLessThan(180);
    expect(metrics.value('hookyard_destination_circuit_open', labels)).toBe(1);
    expect(metrics.value('hookyard_alerts_open', { kind: 'destination_circuit_open' })).toBe(1);
  });

  it('names two destinations of the same name apart, so no two series collide', async () => {
    const a = await createTestDestination({ url: `${sink.url}/a`, data: { name: 'twin' } });
    const b = await createTestDestination({ url: `${sink.url}/b`, data: { name: 'twin' } });
    const metrics = parseScrape(await (await scrape({ authorization: `Bearer ${viewerKey}` })).text());
    const circuit = metrics.families.get('hookyard_destination_circuit_open')!.metrics.map((m) => m.labels!.destination);
    expect(circuit).toContain(`twin (${a.id.slice(-8)})`);
    expect(circuit).toContain(`twin (${b.id.slice(-8)})`);
    expect(new Set(circuit).size).toBe(circuit.length);
  });

  it('holds no secret value: source secret, signing secret, destination header, API keys', async () => {
    const text = await (await scrape({ authorization: `Bearer ${adminKey}` })).text();
    for (const secret of [STRIPE_SECRET, signingSecret, signingSecret.slice(6), DESTINATION_HEADER, 'destination-header-token', viewerKey, adminKey]) {
      expect(text).not.toContain(secret);
    }
    const secretIds = (await db().secret.findMany({ select: { id: true } })).map((row) => row.id);
    for (const id of secretIds) expect(text).not.toContain(id);
  });
});

describe('counters across roll-ups and retention', () => {
  it('keep their value when the minute and hour rows they came from are deleted', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const destination = await createTestDestination({ url: `${sink.url}/old`, data: { name: 'three hours ago' } });
    const minute = new Date(Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000);
    await sql()`INSERT INTO source_minute_stats (source_id, minute, received, accepted, rejected, duplicates) VALUES (${source.id}, ${minute}, 9, 5, 3, 1)`;
    await sql()`
      INSERT INTO destination_minute_stats (destination_id, minute, attempts, succeeded, failed, exhausted, latency_ms_sum, latency_hist)
      VALUES (${destination.id}, ${minute}, 4, 3, 1, 1, 700, ${[0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1]}::int[])`;
    // As if written three hours ago, before anything summed that hour (the scrapes above summed it while it was empty).
    await sql()`DELETE FROM stats_rollup_hours WHERE hour = date_trunc('hour', ${minute}::timestamptz)`;

    const read = async () => {
      const metrics = parseScrape(await (await scrape({ authorization: `Bearer ${viewerKey}` })).text());
      const durations = metrics.histogram('hookyard_delivery_attempt_duration_seconds', { destination: 'three hours ago' });
      return {
        accepted: metrics.value('hookyard_ingest_requests_total', { source: source.slug, status: 'accepted' }),
        rejected: metrics.value('hookyard_ingest_requests_total', { source: source.slug, status: 'rejected' }),
        duplicate: metrics.value('hookyard_ingest_requests_total', { source: source.slug, status: 'duplicate' }),
        failed: metrics.value('hookyard_delivery_attempts_total', { destination: 'three hours ago', outcome: 'failed' }),
        succeeded: metrics.value('hookyard_delivery_attempts_total', { destination: 'three hours ago', outcome: 'succeeded' }),
        exhausted: metrics.value('hookyard_deliveries_exhausted_total', { destination: 'three hours ago' }),
        buckets: Object.fromEntries(durations.buckets),
        sum: durations.sum,
        count: durations.count,
      };
    };
    const before = await read();
    expect(before).toMatchObject({ accepted: 5, rejected: 3, duplicate: 1, failed: 1, succeeded: 3, exhausted: 1, sum: 0.7, count: 4 });
    expect(before.buckets).toMatchObject({ '0.01': 0, '0.025': 1, '0.1': 3, '30': 3, '+Inf': 4 });
    // The scrape summed that hour (it ended more than 15 minutes ago) into the hours and the totals.
    const [summed] = await sql()<{ n: number }[]>`SELECT count(*)::int AS n FROM stats_rollup_hours WHERE hour = date_trunc('hour', ${minute}::timestamptz)`;
    expect(summed?.n).toBe(1);

    // Retention with a cut-off two hours ago deletes those minutes; the hours go the same way later.
    const report = await runRetention(sql(), {
      now: new Date(Date.now() + 90 * 86_400_000 - 2 * 3_600_000),
      retentionDays: 100_000,
      statsRetentionDays: 90,
      pauseMs: 0,
    });
    expect(report.sourceMinuteStats).toBeGreaterThanOrEqual(1);
    expect(report.destinationMinuteStats).toBeGreaterThanOrEqual(1);
    await sql()`DELETE FROM source_hour_stats WHERE source_id = ${source.id}`;
    await sql()`DELETE FROM destination_hour_stats WHERE destination_id = ${destination.id}`;
    const [left] = await sql()<{ n: number }[]>`SELECT count(*)::int AS n FROM source_minute_stats WHERE source_id = ${source.id}`;
    expect(left?.n).toBe(0);

    expect(await read()).toEqual(before);
  });
});
