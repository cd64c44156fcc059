/**
 * One evaluation of the alert rules on a big database stays small: every rule's statement is an
 * index probe per target, never a scan of deliveries or events. 200,000 deliveries (mostly
 * delivered, some pending, some due long ago) over 100 destinations, 100,000 events, a week of
 * per-minute counters: the plans use the indexes, and an evaluation takes well under a second.
 * HOOKYARD_ALERT_COST_DELIVERIES=1000000 measures the million-row figure of docs/alerts.md.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAlertRules } from '@/lib/alerts/rules/evaluate-alert-rules';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';

const DELIVERIES = Number(process.env.HOOKYARD_ALERT_COST_DELIVERIES ?? 200_000);
const DESTINATIONS = 100;
const SOURCES = 20;

beforeAll(async () => {
  const s = sql();
  await s`INSERT INTO sources (id, slug, name, provider, alert_settings, updated_at)
          SELECT gen_random_uuid(), 'cost-' || g, 'Cost source ' || g, 'none', jsonb_build_object('expectedEvery', 3600), now()
          FROM generate_series(1, ${SOURCES}::int) g`;
  await s`INSERT INTO destinations (id, name, url, updated_at)
          SELECT gen_random_uuid(), 'Cost destination ' || g, 'http://127.0.0.1:9/' || g, now() FROM generate_series(1, ${DESTINATIONS}::int) g`;
  const events = DELIVERIES / 2;
  // Events spread over the sources and the last week; two deliveries each.
  await s`WITH src AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM sources)
          INSERT INTO events (id, source_id, received_at, headers, body, content_type, size, verification, event_type)
          SELECT gen_random_uuid(), src.id, now() - (g % 604800) * interval '1 second', '{}'::jsonb, convert_to('{}', 'UTF8'), 'application/json', 2,
                 'unverified', 'cost.test'
          FROM generate_series(1, ${events}::int) g JOIN src ON src.n = g % ${SOURCES}::int`;
  await s`WITH d AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM destinations),
               e AS (SELECT id, source_id, received_at, row_number() OVER (ORDER BY id) - 1 AS n FROM events)
          INSERT INTO deliveries (id, event_id, source_id, destination_id, status, next_attempt_at, created_at, updated_at, attempt_count)
          SELECT gen_random_uuid(), e.id, e.source_id, d.id,
                 (CASE WHEN hashtext(e.id::text || d.id::text) % 50 = 0 THEN 'pending' ELSE 'succeeded' END)::"DeliveryStatus",
                 e.received_at + interval '5 seconds', e.received_at, e.received_at, 1
          FROM e JOIN d ON d.n IN ((e.n * 2) % ${DESTINATIONS}::int, (e.n * 2 + 1) % ${DESTINATIONS}::int)`;
  await s`INSERT INTO destination_minute_stats (destination_id, minute, attempts, succeeded, failed)
          SELECT d.id, date_trunc('minute', now()) - m * interval '1 minute', 10, 9, 1
          FROM destinations d, generate_series(0, 7 * 1440 - 1, 7) m`;
  await s`INSERT INTO source_minute_stats (source_id, minute, received, accepted, rejected)
          SELECT src.id, date_trunc('minute', now()) - m * interval '1 minute', 10, 9, 1
          FROM sources src, generate_series(0, 7 * 1440 - 1, 7) m`;
  await s`ANALYZE`;
}, 600_000);

afterAll(async () => {
  await closeSql();
  await db().$disconnect();
});

async function plan(query: string): Promise<string> {
  const rows = await sql().unsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${query}`);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

it('plans every rule as index probes, never a scan of deliveries or events', async () => {
  const ids = (await sql()<{ id: string }[]>`SELECT id::text FROM destinations`).map((row) => `'${row.id}'`).join(',');
  const sources = (await sql()<{ id: string }[]>`SELECT id::text FROM sources`).map((row) => `'${row.id}'`).join(',');
  // The rules' statements, with literals where they bind parameters.
  const backlog = await plan(`SELECT t.id, (SELECT d.next_attempt_at FROM deliveries d WHERE d.destination_id = t.id AND d.status = 'pending'
    ORDER BY d.next_attempt_at LIMIT 1) FROM unnest(ARRAY[${ids}]::uuid[]) AS t(id)`);
  expect(backlog).toMatch(/(Index (Only )?Scan using|Bitmap Index Scan on) deliveries_destination_id_status_next_attempt_at_idx/);
  expect(backlog).not.toMatch(/Seq Scan on deliveries/);
  const silence = await plan(`SELECT t.id, (SELECT e.received_at FROM events e WHERE e.source_id = t.id ORDER BY e.received_at DESC LIMIT 1)
    FROM unnest(ARRAY[${sources}]::uuid[]) AS t(id)`);
  expect(silence).toMatch(/(Index (Only )?Scan using|Bitmap Index Scan on) events_source_id_received_at_id_idx/);
  expect(silence).not.toMatch(/Seq Scan on events/);
  const windows = ids
    .split(',')
    .map(() => '300')
    .join(',');
  const failureRate = await plan(`SELECT t.id, s.attempts, s.failed FROM unnest(ARRAY[${ids}]::uuid[], ARRAY[${windows}]::int[]) AS t(id, w)
    CROSS JOIN LATERAL (SELECT sum(m.attempts) AS attempts, sum(m.failed) AS failed FROM destination_minute_stats m
      WHERE m.destination_id = t.id AND m.minute > now() - make_interval(secs => t.w + 60) AND m.minute <= now()) AS s`);
  expect(failureRate).toMatch(/(Index (Only )?Scan using|Bitmap Index Scan on) destination_minute_stats_(pkey|minute_idx)/);
  expect(failureRate).not.toMatch(/Seq Scan on destination_minute_stats/);
  const spike = await plan(`SELECT t.id, s.rejected FROM unnest(ARRAY[${sources}]::uuid[], ARRAY[${sources
    .split(',')
    .map(() => '300')
    .join(',')}]::int[]) AS t(id, w)
    CROSS JOIN LATERAL (SELECT sum(m.rejected) AS rejected FROM source_minute_stats m
      WHERE m.source_id = t.id AND m.minute > now() - make_interval(secs => t.w + 60) AND m.minute <= now()) AS s`);
  expect(spike).toMatch(/(Index (Only )?Scan using|Bitmap Index Scan on) source_minute_stats_(pkey|minute_idx)/);
  expect(spike).not.toMatch(/Seq Scan on source_minute_stats/);
});

it('evaluates every rule on the big database in well under a second', async () => {
  const timings: number[] = [];
  for (let i = 0; i < 3; i++) {
    const report = await runAlertRules(sql(), { intervalMs: 0 });
    expect(report).toMatchObject({ ran: true, errors: [] });
    if (report.ran) timings.push(report.durationMs);
  }
  const pending = await db().delivery.count({ where: { status: 'pending' } });
  console.info(`alert rules on ${DELIVERIES} deliveries (${pending} pending), ${DESTINATIONS} destinations, ${SOURCES} sources: ${timings.join(' ms, ')} ms`);
  // The backlog of pending deliveries due up to a week ago raised one alert per destination.
  expect(await db().alert.count({ where: { kind: 'backlog_age', status: 'open' } })).toBe(DESTINATIONS);
  expect(Math.min(...timings)).toBeLessThan(1000);
}, 120_000);
