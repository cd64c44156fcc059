/**
 * What a scrape costs on a big database. Seeds HOOKYARD_METRICS_SCALE_EVENTS delivered events
 * (100,000 by default, to keep CI short; docs/observability.md has the figures for 1,000,000),
 * each with a succeeded delivery, 30 days of per-minute counters for a source and two
 * destinations, and a backlog of 1,000 pending deliveries; then times the first scrape (which
 * sums the 30 days of minutes into hours and totals, once) and the scrapes after it, and checks
 * what they read: no statement of a scrape touches `events`, and `deliveries` is only read
 * through an index on its status, never scanned.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GET } from '@/app/api/metrics/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { createTestDestination, createTestSource } from '../support/fixtures';
import { parseScrape } from '../support/prometheus';

const EVENTS = Number(process.env.HOOKYARD_METRICS_SCALE_EVENTS ?? 100_000);
const DAYS = 30;
const PENDING = 1_000;

let key: string;
let slug: string;

beforeAll(async () => {
  const { source } = await createTestSource({ provider: 'none' });
  slug = source.slug;
  const steady = await createTestDestination({ url: 'http://127.0.0.1:9/steady', data: { name: 'steady' } });
  const backlog = await createTestDestination({ url: 'http://127.0.0.1:9/backlog', data: { name: 'backlog' } });
  key = (await issueApiKey({ name: 'prometheus', role: 'VIEWER' }, 'system')).key;
  const s = sql();
  const started = performance.now();
  // Events and their succeeded deliveries, spread over the last 30 days, in batches of 100,000.
  for (let offset = 0; offset < EVENTS; offset += 100_000) {
    const count = Math.min(100_000, EVENTS - offset);
    await s`
      WITH e AS (
        INSERT INTO events (id, source_id, received_at, headers, body, content_type, size, verification, event_type)
        SELECT gen_random_uuid(), ${source.id}::uuid, now() - make_interval(secs => g * ${(DAYS * 86_400) / EVENTS}::float8),
               '{"content-type":"application/json"}'::jsonb, convert_to('{"n":' || g || '}', 'UTF8'), 'application/json', 10, 'unverified', 'scale'
        FROM generate_series(${offset + 1}::int, ${offset + count}::int) AS g
        RETURNING id, received_at)
      INSERT INTO deliveries (id, event_id, source_id, destination_id, status, next_attempt_at, created_at, updated_at, attempt_count, completed_at)
      SELECT gen_random_uuid(), e.id, ${source.id}::uuid, ${steady.id}::uuid, 'succeeded', e.received_at, e.received_at, e.received_at, 1, e.received_at FROM e`;
  }
  await s`
    WITH e AS (
      INSERT INTO events (id, source_id, received_at, headers, body, content_type, size, verification)
      SELECT gen_random_uuid(), ${source.id}::uuid, now() - make_interval(secs => g), '{}'::jsonb, convert_to('{}', 'UTF8'), 'application/json', 2, 'unverified'
      FROM generate_series(1, ${PENDING}::int) AS g RETURNING id, received_at)
    INSERT INTO deliveries (id, event_id, source_id, destination_id, status, next_attempt_at, created_at, updated_at)
    SELECT gen_random_uuid(), e.id, ${source.id}::uuid, ${backlog.id}::uuid, 'pending', e.received_at, e.received_at, e.received_at FROM e`;
  // 30 days of minutes: one row per minute for the source and for each destination.
  await s`
    INSERT INTO source_minute_stats (source_id, minute, received, accepted, rejected, duplicates)
    SELECT ${source.id}::uuid, m, 3, 2, 1, 0
    FROM generate_series(date_trunc('minute', now()) - make_interval(days => ${DAYS}), date_trunc('minute', now()) - interval '1 minute', interval '1 minute') AS m`;
  for (const id of [steady.id, backlog.id]) {
    await s`
      INSERT INTO destination_minute_stats (destination_id, minute, attempts, succeeded, failed, exhausted, latency_ms_sum, latency_hist)
      SELECT ${id}::uuid, m, 2, 2, 0, 0, 60, ARRAY[0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
      FROM generate_series(date_trunc('minute', now()) - make_interval(days => ${DAYS}), date_trunc('minute', now()) - interval '1 minute', interval '1 minute') AS m`;
  }
  await s`ANALYZE`;
  console.log(
    `[metrics-scale] seeded ${EVENTS} events, ${PENDING} pending deliveries and ${DAYS} days of minute counters in ${Math.round(performance.now() - started)} ms`,
  );
}, 900_000);

afterAll(async () => {
  await db().$disconnect();
  await closeSql();
});

async function timedScrape(): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const response = await GET(new Request('http://localhost/api/metrics', { headers: { authorization: `Bearer ${key}` } }));
  const text = await response.text();
  expect(response.status).toBe(200);
  return { ms: performance.now() - started, text };
}

it('stays cheap: the history is read from running totals, the backlog through the status index, and events never', async () => {
  const first = await timedScrape();
  const after: number[] = [];
  for (let i = 0; i < 5; i++) after.push((await timedScrape()).ms);
  after.sort((a, b) => a - b);
  const median = after[2]!;
  console.log(
    `[metrics-scale] ${EVENTS} events: first scrape ${Math.round(first.ms)} ms (sums ${DAYS} days of minutes once), then median ${median.toFixed(1)} ms`,
  );

  const metrics = parseScrape(first.text);
  // Every minute but those of the current hour and the 15 minutes before it is summed into the totals; all are counted.
  expect(metrics.value('hookyard_ingest_requests_total', { source: slug, status: 'accepted' })).toBe(DAYS * 1440 * 2);
  expect(metrics.value('hookyard_delivery_attempts_total', { destination: 'steady', outcome: 'succeeded' })).toBe(DAYS * 1440 * 2);
  expect(metrics.value('hookyard_deliveries_pending', { destination: 'backlog' })).toBe(PENDING);
  expect(parseScrape((await timedScrape()).text).value('hookyard_ingest_requests_total', { source: slug, status: 'accepted' })).toBe(DAYS * 1440 * 2);
  expect(median).toBeLessThan(1_000);

  // What the scrape's statements read, as the planner will run them on this data.
  const statements = await sql().begin(async (tx) => {
    await tx`SET LOCAL track_io_timing = off`;
    return [
      await tx.unsafe(
        `EXPLAIN SELECT destination_id, count(*), min(created_at) FROM deliveries WHERE status IN ('pending', 'in_flight') GROUP BY destination_id`,
      ),
      await tx.unsafe(`EXPLAIN SELECT source_id, sum(received) FROM source_minute_stats mm
        WHERE mm.minute >= now() - interval '75 minutes'
          AND NOT EXISTS (SELECT 1 FROM stats_rollup_hours r WHERE r.hour = date_bin('1 hour', mm.minute, '1970-01-01 00:00:00+00'::timestamptz)) GROUP BY source_id`),
    ];
  });
  const plans = statements.map((rows) => rows.map((row) => String((row as Record<string, unknown>)['QUERY PLAN'])).join('\n'));
  expect(plans[0]).not.toMatch(/Seq Scan on deliveries/);
  expect(plans[0]).toMatch(/Index.* on deliveries/);
  expect(plans[1]).not.toMatch(/Seq Scan on source_minute_stats/);
  expect(plans.join('\n')).not.toMatch(/\bevents\b/);
}, 300_000);
