/**
 * Dashboard: the events list and the overview at 1,000,000 stored events (BENCH_QUICK: 100,000).
 *
 * Seeding, in SQL (a few big INSERT … SELECT FROM generate_series statements, every index in
 * place, nothing dropped or recreated): five Stripe sources with uneven volumes, each routed to a
 * destination of its own; events spread over the last 30 days, each a ~1 KiB Stripe-shaped body
 * (UUIDv7 ids, headers, a jsonb payload with `data.object.customer` among 20,000 customers), and
 * one delivery per event: ~94.5% succeeded (1.5% of them after a retry), ~4% failed for good,
 * and the failures of the last 28 hours still pending (retrying). The overview's per-minute
 * counter tables are then computed from those rows, and a few alerts are opened. VACUUM ANALYZE
 * afterwards, as autovacuum would do in production (statistics, visibility map, GIN pending list),
 * and a CHECKPOINT, so that the load's writes are not flushed while measuring. At a million
 * events this takes ~4 minutes on a 2-core machine, most of the section's time.
 *
 * Measuring, through the web process's JSON API with a VIEWER API key, sequentially (one request
 * at a time, client-measured, after a few warm-up requests), p95 of each:
 *  - the events list's first page;
 *  - the list filtered by a source and `status=failed` (the five sources in turn);
 *  - a payload search by JSON path, `q=data.object.customer=cus_…` (a different customer each time);
 *  - the same search in the deliveries list (no target; support's way to a customer's deliveries);
 *  - the overview for 30 days. The web process keeps the folded sums of a window's closed minutes
 *    per (range, scope) (lib/overview/overview-series.ts), so only its first request for a key
 *    reads the whole window. It drops them on every configuration change: announcing one
 *    (NOTIFY on the configuration channel, as the API does) before each request makes every
 *    measured request a full read, which is the figure. The same requests without announcements
 *    (answered from the folded sums) and the very first read after seeding (which also sums the
 *    closed hours' minutes into hour rows, lib/overview/hour-rollups.ts) are in the meta file.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { createApiKey } from '@/lib/auth/api-keys';
import { createUser } from '@/lib/users/manage-users';
import { dashboardRoutes, fillRoute } from '@/scripts/dashboard-routes';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { db } from '@/lib/db/prisma';
import { LATENCY_BUCKETS_MS } from '@/lib/metrics/latency-buckets';
import { pageFigureName, type PageTiming, timePages } from '../lib/page-timings';
import type { BenchContext, Section } from '../lib/section';

const SOURCES = 5;
/** Share of the events each source receives. */
const SOURCE_WEIGHTS = [0.4, 0.25, 0.15, 0.12, 0.08];
const CUSTOMERS = 20_000;
const EVENT_TYPES = [
  'payment_intent.succeeded',
  'payment_intent.created',
  'charge.succeeded',
  'charge.refunded',
  'invoice.paid',
  'invoice.payment_failed',
  'customer.subscription.updated',
  'checkout.session.completed',
];
const DAY_MS = 86_400_000;

/** The issue's targets at 1,000,000 events, p95 in ms. */
const TARGETS = { list: 50, filtered: 50, search: 200, overview: 100 } as const;
/** Every page shows its content within this, p95, in headless Chromium (issue 17). */
const PAGE_TARGET_MS = 1000;

/** The customer id the seed gives customer number `n`: what `data.object.customer` holds. */
export function customerId(n: number): string {
  return `cus_${createHash('md5').update(String(n)).digest('hex').slice(0, 14)}`;
}

export interface DashboardSetup {
  sourceIds: string[];
  destinationIds: string[];
  routeIds: string[];
}

async function createSetup(): Promise<DashboardSetup> {
  const setup: DashboardSetup = { sourceIds: [], destinationIds: [], routeIds: [] };
  for (let i = 1; i <= SOURCES; i++) {
    const source = await db().source.create({ data: { name: `Bench dashboard store ${i}`, slug: `bench-dashboard-${i}`, provider: 'stripe' } });
    // Nothing listens on port 9 (discard), and no worker runs in this section.
    const destination = await db().destination.create({ data: { name: `Bench dashboard backend ${i}`, url: `http://127.0.0.1:9/hooks/${i}` } });
    const route = await db().route.create({ data: { sourceId: source.id, destinationId: destination.id } });
    setup.sourceIds.push(source.id);
    setup.destinationIds.push(destination.id);
    setup.routeIds.push(route.id);
  }
  await notifyConfigChanged();
  return setup;
}

/**
 * A UUIDv7 for the instant `at` (an SQL expression), portable to any Postgres with
 * gen_random_uuid(): the random UUIDv4's first 48 bits replaced by the Unix time in ms, and its
 * version nibble turned from 4 into 7 (0x4_ | 0x30). Needs `… AS b` from uuidV7Bytes in a LATERAL.
 */
const uuidV7Bytes = (at: string) =>
  `overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch FROM ${at}) * 1000)::bigint) FROM 3) FROM 1 FOR 6)`;
const uuidFromBytes = (b: string) => `encode(set_byte(${b}, 6, get_byte(${b}, 6) | 48), 'hex')::uuid`;

/**
 * Events [$4, $5], spread evenly (with jitter) from $6 every $7 ms, with their deliveries. The
 * body is built as text (much cheaper than nested jsonb_build_object) in the shape of the ingest
 * section's Stripe events; `payload` is the same text as jsonb, as ingest stores it.
 */
export const SEED_CHUNK_SQL = `
WITH src AS (
  SELECT g, at, ids.event_id, ids.delivery_id, width_bucket(r_source, $8::float8[]) AS si, r_status, customer, amount,
         floor(extract(epoch FROM at))::bigint AS created,
         (ARRAY[${EVENT_TYPES.map((type) => `'${type}'`).join(', ')}])[type_index] AS event_type,
         h, md5(h) AS h2, 'evt_' || substr(h, 1, 24) AS evt
  FROM (
    SELECT g, $6::timestamptz + (((g - 1) + random()) * $7::float8) * interval '1 millisecond' AS at,
           random() AS r_source, random() AS r_status, floor(random() * ${CUSTOMERS})::int AS customer,
           1 + floor(random() * ${EVENT_TYPES.length})::int AS type_index, 100 * (5 + floor(random() * 200)::int) AS amount,
           md5(g::text || $9::text) AS h
    FROM generate_series($4::int, $5::int) AS g
  ) b,
  LATERAL (SELECT ${uuidV7Bytes('b.at')} AS e, ${uuidV7Bytes('b.at')} AS d) v,
  LATERAL (SELECT ${uuidFromBytes('v.e')} AS event_id, ${uuidFromBytes('v.d')} AS delivery_id) ids
), bodies AS (
  SELECT s.*, '{"id":"' || evt || '","object":"event","api_version":"2024-06-20","created":' || created ||
         ',"data":{"object":{"id":"pi_' || substr(h2, 1, 24) || '","object":"payment_intent","amount":' || amount ||
         ',"amount_capturable":0,"amount_received":' || amount || ',"application":null,"canceled_at":null,' ||
         '"capture_method":"automatic_async","client_secret":"pi_' || substr(h2, 1, 24) || '_secret_' || substr(h2, 8, 25) ||
         '","confirmation_method":"automatic","created":' || (created - 2) || ',"currency":"usd","customer":"cus_' ||
         substr(md5(customer::text), 1, 14) || '","description":"Subscription update","latest_charge":"ch_' || substr(h, 9, 24) ||
         '","livemode":false,"metadata":{"order_id":"' || (100000 + g) || '","plan":"pro-monthly"},"payment_method":"pm_' ||
         substr(h2, 9, 24) || '","payment_method_types":["card"],"receipt_email":"customer' || customer ||
         '@example.com","setup_future_usage":"off_session","statement_descriptor_suffix":"HOOKYARD","status":"succeeded"}},' ||
         '"livemode":false,"pending_webhooks":1,"request":{"id":"req_' || substr(h2, 17, 14) || '","idempotency_key":"' ||
         h2::uuid || '"},"type":"' || event_type || '"}' AS text
  FROM src s
), inserted_events AS (
  INSERT INTO events (id, source_id, received_at, method, headers, body, payload, content_type, size, source_ip, verification, dedup_key, event_type)
  SELECT event_id, ($1::uuid[])[si], at, 'POST',
         ('{"host":"hooks.example.com","user-agent":"Stripe/1.0 (+https://stripe.com/docs/webhooks)",' ||
          '"content-type":"application/json; charset=utf-8","accept":"*/*; q=0.5, application/xml","cache-control":"no-cache",' ||
          '"content-length":"' || octet_length(text) || '","x-forwarded-for":"54.187.174.169","stripe-signature":"t=' || created ||
          ',v1=' || h || h2 || '"}')::jsonb,
         convert_to(text, 'UTF8'), text::jsonb, 'application/json; charset=utf-8', octet_length(text), '54.187.174.169', 'verified', evt, event_type
  FROM bodies
  RETURNING 1
)
INSERT INTO deliveries (id, event_id, source_id, destination_id, route_id, status, attempt_count, next_attempt_at,
                        last_error, last_status_code, created_at, updated_at, completed_at)
SELECT s.delivery_id, s.event_id, ($1::uuid[])[s.si], ($2::uuid[])[s.si], ($3::uuid[])[s.si], x.status::"DeliveryStatus", x.attempts,
       CASE WHEN x.status = 'pending' THEN now() + s.r_status * 50 * interval '1 hour' ELSE s.at END,
       x.error, x.code, s.at, COALESCE(x.completed, s.at), x.completed
FROM src s,
     LATERAL (
       SELECT * FROM (VALUES
         -- Failed for good: the whole retry schedule (~28 h) has run. Younger failures are still retrying.
         (s.r_status < 0.04 AND s.at < now() - interval '28 hours', 'failed', 8, 'HTTP 503 Service Unavailable', 503, s.at + interval '28 hours'),
         (s.r_status < 0.04 AND s.at >= now() - interval '28 hours', 'pending', 1 + floor(s.r_status * 100)::int, 'HTTP 503 Service Unavailable', 503, NULL::timestamptz),
         (s.r_status >= 0.04 AND s.r_status < 0.055, 'succeeded', 2, NULL, 200, s.at + interval '5 seconds'),
         (s.r_status >= 0.055, 'succeeded', 1, NULL, 200, s.at + interval '120 milliseconds')
       ) AS t(applies, status, attempts, error, code, completed)
       WHERE t.applies
     ) x`;

/** Per-minute counters the overview reads, computed from the seeded rows (the sources and destinations are new: no counters yet). */
const SOURCE_STATS_SQL = `
INSERT INTO source_minute_stats (source_id, minute, received, accepted, rejected, duplicates)
SELECT source_id, minute, accepted + rejected + duplicates, accepted, rejected, duplicates
FROM (
  SELECT source_id, date_trunc('minute', received_at) AS minute, count(*)::int AS accepted,
         -- A few refused requests and repeats, in proportion to the traffic (~1.2% and ~0.8%).
         count(*) FILTER (WHERE get_byte(uuid_send(id), 15) < 3)::int AS rejected,
         count(*) FILTER (WHERE get_byte(uuid_send(id), 14) < 2)::int AS duplicates
  FROM events WHERE source_id = ANY($1::uuid[])
  GROUP BY 1, 2
) m`;

/** Upper bounds as `width_bucket` thresholds: slot i holds ms ≤ LATENCY_BUCKETS_MS[i] (integers). */
const SLOT_THRESHOLDS = `ARRAY[${LATENCY_BUCKETS_MS.map((bound) => bound + 1).join(', ')}]`;
const HISTOGRAM = `ARRAY[${Array.from({ length: LATENCY_BUCKETS_MS.length + 1 }, (_, slot) => `COALESCE(sum(attempts) FILTER (WHERE slot = ${slot}), 0)`).join(', ')}]::int[]`;

const DESTINATION_STATS_SQL = `
INSERT INTO destination_minute_stats (destination_id, minute, attempts, succeeded, failed, exhausted, latency_ms_sum, latency_hist)
SELECT destination_id, minute, sum(attempts)::int, sum(succeeded)::int, sum(attempts - succeeded)::int, sum(exhausted)::int,
       sum(attempts * latency)::bigint, ${HISTOGRAM}
FROM (
  SELECT destination_id, date_trunc('minute', created_at) AS minute, attempt_count AS attempts,
         (status = 'succeeded')::int AS succeeded, (status = 'failed')::int AS exhausted, l.latency,
         width_bucket(l.latency, ${SLOT_THRESHOLDS}) AS slot
  FROM deliveries,
       -- A latency per delivery from its random bits: mostly 30–280 ms, a slow tail up to ~10 s.
       LATERAL (SELECT CASE WHEN get_byte(uuid_send(id), 15) < 245 THEN 30 + get_byte(uuid_send(id), 15)
                            ELSE 40 * get_byte(uuid_send(id), 15) END AS latency) l
  WHERE source_id = ANY($1::uuid[])
) d
GROUP BY 1, 2`;

export interface SeedResult {
  setup: DashboardSetup;
  seeded: number;
  totalEvents: number;
  /** Rows; per-minute counters and alerts; VACUUM ANALYZE and CHECKPOINT. */
  seconds: { rows: number; stats: number; vacuum: number };
}

/** Tops the events table up to `target` rows (see the header). */
export async function seedDashboardData(
  ctx: Pick<BenchContext, 'query' | 'log' | 'checkStopped'> & { database: { url: string } },
  target: number,
  now = Date.now(),
): Promise<SeedResult> {
  const setup = await createSetup();
  const [existing] = await ctx.query<{ n: string }>('SELECT count(*) AS n FROM events');
  const count = Math.max(0, target - Number(existing?.n ?? 0));
  // The last 30 days, less a little at both ends: retention keeps 30 days, and the newest minute is the live one.
  const start = new Date(now - 30 * DAY_MS + 10 * 60_000);
  const spanMs = now - 60_000 - start.getTime();
  const stepMs = spanMs / Math.max(1, count);
  const cumulative = SOURCE_WEIGHTS.map((_, i) => SOURCE_WEIGHTS.slice(0, i).reduce((sum, w) => sum + w, 0));
  const salt = Date.now().toString(36); // event ids unique across runs on the same database
  const chunk = 50_000;
  const chunks: [number, number][] = [];
  for (let first = 1; first <= count; first += chunk) chunks.push([first, Math.min(count, first + chunk - 1)]);

  // Two statements at a time: one is bound by a single backend's CPU (index and WAL inserts).
  const rowsStarted = performance.now();
  let done = 0;
  let foreignKeysChecked = false;
  let failed = false;
  const seedNext = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: ctx.database.url, application_name: 'hookyard-bench' });
    await client.connect();
    try {
      // The rows reference what createSetup made, by construction: where allowed (superuser, as in
      // the embedded database), skip the foreign-key triggers, ~15% of the seeding time.
      await client.query('SET session_replication_role = replica').catch(() => {
        foreignKeysChecked = true;
      });
      for (let next = chunks.shift(); next && !failed; next = chunks.shift()) {
        ctx.checkStopped();
        const [first, last] = next;
        await client
          .query(SEED_CHUNK_SQL, [setup.sourceIds, setup.destinationIds, setup.routeIds, first, last, start, stepMs, cumulative, salt])
          .catch((error: unknown) => {
            failed = true; // the other statement stops too
            throw error;
          });
        done += last - first + 1;
        const seconds = (performance.now() - rowsStarted) / 1000;
        ctx.log(
          `dashboard: seeded ${done.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} events (${Math.round(done / seconds).toLocaleString('en-US')} events + deliveries/s)`,
        );
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  await Promise.all([seedNext(), seedNext()]);
  if (foreignKeysChecked) ctx.log('dashboard: seeded with foreign-key checks (not a superuser)');
  const rowsSeconds = (performance.now() - rowsStarted) / 1000;

  const statsStarted = performance.now();
  await ctx.query(SOURCE_STATS_SQL, [setup.sourceIds]);
  await ctx.query(DESTINATION_STATS_SQL, [setup.sourceIds]);
  await db().alert.createMany({
    data: [
      {
        kind: 'destination_failure_rate',
        destinationId: setup.destinationIds[2]!,
        message: 'Bench dashboard backend 3: 12% of attempts failed in the last 15 minutes',
        details: { count: 41 },
      },
      {
        kind: 'delivery_exhausted',
        destinationId: setup.destinationIds[0]!,
        message: 'Deliveries to Bench dashboard backend 1 failed for good',
        details: { count: 7 },
      },
      {
        kind: 'destination_circuit_open',
        destinationId: setup.destinationIds[4]!,
        message: 'Circuit open for Bench dashboard backend 5',
        details: { count: 1 },
      },
    ],
  });
  const statsSeconds = (performance.now() - statsStarted) / 1000;

  ctx.checkStopped();
  const vacuumStarted = performance.now();
  await ctx.query('VACUUM (ANALYZE) events, deliveries, source_minute_stats, destination_minute_stats, alerts');
  // Write the gigabytes of the load out now, not while measuring (superuser or pg_checkpoint only).
  await ctx.query('CHECKPOINT').catch(() => undefined);
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;

  const [total] = await ctx.query<{ n: string }>('SELECT count(*) AS n FROM events');
  return {
    setup,
    seeded: count,
    totalEvents: Number(total?.n ?? 0),
    seconds: { rows: rowsSeconds, stats: statsSeconds, vacuum: vacuumSeconds },
  };
}

async function createViewerKey(): Promise<string> {
  const { key } = await createApiKey({ name: 'bench dashboard (viewer)', role: 'VIEWER', createdById: null });
  return key;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

interface Timing {
  samples: number;
  p50: number;
  p95: number;
  max: number;
  /** Answers other than 200, and answers that lacked what they should hold. */
  failures: string[];
  /** Rows per answer (events lists), for the record. */
  rows: { min: number; max: number } | null;
}

/**
 * `count` sequential GETs (after `warmup` uncounted ones), each timed from the request until the
 * whole body is read. `before` runs ahead of each request, outside the timing.
 */
async function timeRequests(options: {
  baseUrl: string;
  key: string;
  warmup: number;
  count: number;
  path: (i: number) => string;
  check?: (body: { data?: unknown[] }, i: number) => string | null;
  before?: (i: number) => Promise<void>;
  checkStopped: () => void;
}): Promise<Timing> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let minRows = Number.POSITIVE_INFINITY;
  let maxRows = -1;
  for (let i = -options.warmup; i < options.count; i++) {
    options.checkStopped();
    await options.before?.(i);
    const path = options.path(i);
    const started = performance.now();
    const response = await fetch(`${options.baseUrl}${path}`, { headers: { authorization: `Bearer ${options.key}` } });
    const text = await response.text();
    const elapsed = performance.now() - started;
    if (i < 0) continue;
    latencies.push(elapsed);
    if (response.status !== 200) {
      failures.push(`GET ${path} answered ${response.status}: ${text.slice(0, 200)}`);
      continue;
    }
    const body = JSON.parse(text) as { data?: unknown[] };
    if (Array.isArray(body.data)) {
      minRows = Math.min(minRows, body.data.length);
      maxRows = Math.max(maxRows, body.data.length);
    }
    const problem = options.check?.(body, i);
    if (problem) failures.push(`GET ${path}: ${problem}`);
  }
  latencies.sort((a, b) => a - b);
  return {
    samples: latencies.length,
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    max: round(latencies[latencies.length - 1] ?? Number.NaN),
    failures,
    rows: maxRows >= 0 ? { min: minRows, max: maxRows } : null,
  };
}

/**
 * Every dashboard page (found on disk, so new pages are timed too) opened in headless Chromium by
 * a signed-in admin, at the seeded volume: the events list with and without a free-text search,
 * and the detail pages of a seeded source, destination, event and alert.
 */
async function timeDashboardPages(ctx: BenchContext, baseUrl: string, setup: DashboardSetup): Promise<PageTiming[]> {
  const email = 'bench-pages@bench.test';
  const password = `bench-${createHash('sha256').update(String(process.pid)).digest('hex').slice(0, 24)}`;
  await createUser({ email, role: 'ADMIN', password }, 'system');
  const [event] = await ctx.query<{ id: string }>('SELECT id FROM events ORDER BY received_at DESC, id DESC LIMIT 1');
  const [alert] = await ctx.query<{ id: string }>("SELECT id FROM alerts WHERE kind = 'delivery_exhausted' ORDER BY created_at DESC LIMIT 1");
  const ids: Record<string, string> = {
    '/events/[id]': event!.id,
    '/sources/[id]': setup.sourceIds[0]!,
    '/destinations/[id]': setup.destinationIds[0]!,
    '/alerts/[id]': alert!.id,
  };
  const pages = dashboardRoutes().map((route) => ({ route, url: fillRoute(route, ids) }));
  // Support's first search of the day: free text over the last 24 hours of bodies.
  pages.push({ route: '/events?q=text', url: `/events?q=${encodeURIComponent('"pi_bench_no_such_text"')}` });
  ctx.log(`dashboard: timing ${pages.length} pages in headless Chromium`);
  return timePages({ baseUrl, email, password, pages, warmup: 1, count: ctx.quick ? 5 : 20, checkStopped: () => ctx.checkStopped() });
}

const fullPage = (body: { data?: unknown[] }) => (body.data?.length === 50 ? null : `${body.data?.length ?? 'no'} rows instead of a full page of 50`);

export const dashboard: Section = {
  id: 'dashboard',
  title: 'dashboard: events list and overview at 1,000,000 events',
  rows: [
    { figure: 'dashboard.events', label: 'events stored while measuring', unit: '' },
    { figure: 'dashboard.list_p95_ms', label: `events list, first page, p95 (target ≤ ${TARGETS.list} ms)`, unit: 'ms' },
    { figure: 'dashboard.filtered_list_p95_ms', label: `events list, source + status=failed, p95 (target ≤ ${TARGETS.filtered} ms)`, unit: 'ms' },
    { figure: 'dashboard.payload_search_p95_ms', label: `payload search by JSON path, p95 (target ≤ ${TARGETS.search} ms)`, unit: 'ms' },
    { figure: 'dashboard.overview_p95_ms', label: `overview, 30 days, full read, p95 (target ≤ ${TARGETS.overview} ms)`, unit: 'ms' },
    { figure: 'dashboard.deliveries_payload_search_p95_ms', label: 'deliveries list, payload search by JSON path, p95', unit: 'ms' },
    { figure: 'pages.slowest_p95_ms', label: `slowest page to content-visible, p95 (target ≤ ${PAGE_TARGET_MS} ms; each page in pages.*)`, unit: 'ms' },
  ],
  async run(ctx) {
    const web = await ctx.web();
    const target = ctx.quick ? 100_000 : 1_000_000;
    ctx.log(`dashboard: seeding up to ${target.toLocaleString('en-US')} events over 30 days (five sources, one delivery each)`);
    const seed = await seedDashboardData(ctx, target);
    const seedSeconds = seed.seconds.rows + seed.seconds.stats + seed.seconds.vacuum;
    ctx.log(
      `dashboard: seeded ${seed.seeded.toLocaleString('en-US')} events + deliveries in ${seed.seconds.rows.toFixed(1)} s, ` +
        `counters and alerts in ${seed.seconds.stats.toFixed(1)} s, VACUUM ANALYZE + CHECKPOINT in ${seed.seconds.vacuum.toFixed(1)} s; ${seed.totalEvents.toLocaleString('en-US')} events stored`,
    );
    const key = await createViewerKey();
    const { sourceIds } = seed.setup;
    const count = ctx.quick ? 50 : 100;
    const common = { baseUrl: web.baseUrl, key, warmup: 5, count, checkStopped: () => ctx.checkStopped() };
    // CPU over the measurements: on a busy machine, these latencies say little (a WARNING follows).
    const cpu = ctx.watchCpu();
    const cpuHooks = cpu.hooks('(none)');
    cpuHooks.onMeasureStart?.(process.pid);

    const list = await timeRequests({ ...common, path: () => '/api/v1/events', check: fullPage });
    ctx.log(`dashboard: events list, first page: p50 ${list.p50} ms, p95 ${list.p95} ms, max ${list.max} ms (${list.samples} requests)`);

    const filtered = await timeRequests({
      ...common,
      path: (i) => `/api/v1/events?sourceId=${sourceIds[(i + SOURCES) % SOURCES]}&status=failed`,
      check: fullPage,
    });
    ctx.log(`dashboard: source + status=failed: p50 ${filtered.p50} ms, p95 ${filtered.p95} ms, max ${filtered.max} ms`);

    // A different customer each time; each has ~50 events at a million (~5 at 100,000).
    let seed32 = 0x5eed;
    const nextCustomer = () => {
      seed32 = (Math.imul(seed32, 1_103_515_245) + 12_345) >>> 0;
      return seed32 % CUSTOMERS;
    };
    const customers = Array.from({ length: count + common.warmup }, nextCustomer);
    const search = await timeRequests({
      ...common,
      path: (i) => `/api/v1/events?q=${encodeURIComponent(`data.object.customer=${customerId(customers[i + common.warmup]!)}`)}`,
    });
    ctx.log(
      `dashboard: payload search data.object.customer=…: p50 ${search.p50} ms, p95 ${search.p95} ms, max ${search.max} ms ` +
        `(${search.rows ? `${search.rows.min}–${search.rows.max}` : '?'} events per answer)`,
    );
    // For the record: a value held by ~0.5% of the events (the search's costliest kind, see lib/events/list-events.ts).
    const amounts = await timeRequests({
      ...common,
      count: ctx.quick ? 10 : 20,
      path: (i) => `/api/v1/events?q=${encodeURIComponent(`data.object.amount=${100 * (5 + (((i + 10) * 37) % 200))}`)}`,
    });
    ctx.log(`dashboard: payload search data.object.amount=… (~0.5% of events each): p50 ${amounts.p50} ms, p95 ${amounts.p95} ms`);
    // The deliveries list (support's page for finding a customer's failed deliveries) searches the
    // same way, from the deliveries' side (lib/deliveries/list-deliveries.ts).
    const deliveriesSearch = await timeRequests({
      ...common,
      path: (i) => `/api/v1/deliveries?q=${encodeURIComponent(`data.object.customer=${customerId(customers[(i + 7 * common.warmup) % customers.length]!)}`)}`,
    });
    ctx.log(
      `dashboard: deliveries list, payload search data.object.customer=…: p50 ${deliveriesSearch.p50} ms, p95 ${deliveriesSearch.p95} ms, max ${deliveriesSearch.max} ms`,
    );

    // The overview: the web process keeps the folded sums of closed minutes per (range, scope) and
    // drops them on every configuration change (lib/overview/overview-series.ts). A configuration
    // change announced before each request makes each one read the whole 30 days ("full read").
    const announce = async () => {
      await notifyConfigChanged();
      await new Promise((resolve) => setTimeout(resolve, 200)); // the web process hears it at once; margin for a busy machine
    };
    const overviewPath = () => '/api/v1/overview?range=30d';
    // The first 7- or 30-day read sums the closed hours' minutes into hour rows, once for all
    // processes (lib/overview/hour-rollups.ts); afterwards a full read reads those.
    const firstRead = await timeRequests({ ...common, warmup: 0, count: 1, path: overviewPath });
    ctx.log(`dashboard: overview, 30 days, first read (sums 30 days of minute counters into hours): ${firstRead.max} ms`);
    const fullRead = await timeRequests({ ...common, warmup: 2, count: ctx.quick ? 10 : 20, path: overviewPath, before: () => announce() });
    ctx.log(`dashboard: overview, 30 days, full read: p50 ${fullRead.p50} ms, p95 ${fullRead.p95} ms, max ${fullRead.max} ms (${fullRead.samples} requests)`);
    const cached = await timeRequests({ ...common, path: overviewPath });
    ctx.log(`dashboard: overview, 30 days, from the web process's folded sums: p50 ${cached.p50} ms, p95 ${cached.p95} ms`);
    const pages = await timeDashboardPages(ctx, web.baseUrl, seed.setup);
    for (const timing of pages) {
      ctx.log(`dashboard: page ${timing.route}: content visible p50 ${timing.p50} ms, p95 ${timing.p95} ms, max ${timing.max} ms (${timing.samples} visits)`);
    }
    cpuHooks.onMeasureEnd?.(process.pid);
    ctx.log(`dashboard: while measuring: ${cpu.describe()}`);

    const notes: string[] = [];
    const problems: string[] = [];
    const measured: [string, Timing, number | null][] = [
      ['events list, first page', list, TARGETS.list],
      ['events list, source + status=failed', filtered, TARGETS.filtered],
      ['payload search by JSON path (data.object.customer)', search, TARGETS.search],
      ['overview, 30 days, full read', fullRead, TARGETS.overview],
      ['overview, 30 days, cached', cached, null],
      ['overview, 30 days, first read', firstRead, null],
      ['payload search, a value in ~0.5% of events (data.object.amount)', amounts, null],
      ['deliveries list, payload search (data.object.customer)', deliveriesSearch, null],
    ];
    for (const [label, timing, limit] of measured) {
      problems.push(...timing.failures.slice(0, 3).map((failure) => `dashboard: ${label}: ${failure}`));
      if (timing.failures.length > 3) problems.push(`dashboard: ${label}: ${timing.failures.length - 3} more failed requests`);
      if (limit !== null) {
        notes.push(
          `dashboard: ${label}: p95 ${timing.p95} ms ${timing.p95 <= limit ? '≤' : '>'} target ${limit} ms${timing.p95 <= limit ? '' : ' — TARGET MISSED'}`,
        );
      }
    }
    for (const timing of pages) {
      problems.push(...timing.failures.slice(0, 3).map((failure) => `dashboard: page ${timing.route}: ${failure}`));
      notes.push(
        `dashboard: page ${timing.route}: content visible p95 ${timing.p95} ms ${timing.p95 <= PAGE_TARGET_MS ? '≤' : '>'} target ${PAGE_TARGET_MS} ms${timing.p95 <= PAGE_TARGET_MS ? '' : ' — TARGET MISSED'}`,
      );
    }
    if (seed.totalEvents < target) problems.push(`dashboard: only ${seed.totalEvents} events stored (expected ${target})`);

    return {
      figures: {
        dashboard: {
          events: seed.totalEvents,
          list_p95_ms: list.p95,
          filtered_list_p95_ms: filtered.p95,
          payload_search_p95_ms: search.p95,
          overview_p95_ms: fullRead.p95,
          deliveries_payload_search_p95_ms: deliveriesSearch.p95,
        },
        pages: {
          ...Object.fromEntries(pages.map((timing) => [`${pageFigureName(timing.route)}_p95_ms`, timing.p95])),
          slowest_p95_ms: Math.max(...pages.map((timing) => timing.p95)),
        },
      },
      notes,
      problems,
      meta: {
        cpu: cpu.report(),
        seeded: seed.seeded,
        seedSeconds: { ...seed.seconds, total: Math.round(seedSeconds * 10) / 10 },
        latencyMs: {
          list,
          filteredList: filtered,
          payloadSearch: search,
          payloadSearchCommonValue: amounts,
          deliveriesPayloadSearch: deliveriesSearch,
          overviewFirstRead: firstRead,
          overviewFullRead: fullRead,
          overviewCached: cached,
        },
        pages,
      },
    };
  },
};
