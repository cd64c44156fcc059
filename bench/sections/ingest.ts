/**
 * Ingest: verified, durable requests per second and their latency at 32 connections. A Stripe
 * source with a real secret and one route (so each event also writes its delivery row, as in
 * production; no worker runs here, so the deliveries stay pending). autocannon, in a process of
 * its own, sends ~1 KiB Stripe events, each with its own id and signed with Stripe's scheme just
 * before it is sent. Only 202 answers count. Afterwards the events in the database must number
 * at least the 202s (warm-up included): a 202 promises a committed event.
 */
import { createStripeSetup } from '../lib/fixtures';
import { describeStatuses, runLoad } from '../lib/load';
import { DELIVERIES_CHANNEL } from '@/lib/db/channels';
import { watchDatabase } from '../lib/pg-activity';
import type { Section } from '../lib/section';
import type { WorkerHooks } from '../lib/worker';
import type { StripeRequestsOptions } from '../load/stripe-requests';

export const ingest: Section = {
  id: 'ingest',
  title: 'ingest (Stripe, 1 route)',
  rows: [
    {
      figure: 'ingest.rps',
      label: 'ingest, verified + durable',
      unit: 'req/s',
      baselines: [
        { figure: 'ingest.baseline_pg_insert_tps', label: 'pg single-row INSERT tx' },
        { figure: 'ingest.baseline_next_noop_rps', label: 'Next.js no-op handler' },
      ],
    },
    { figure: 'ingest.p50_ms', label: 'ingest p50', unit: 'ms', baselines: [{ figure: 'ingest.baseline_next_noop_p50_ms', label: 'Next.js no-op p50' }] },
    { figure: 'ingest.p99_ms', label: 'ingest p99', unit: 'ms', baselines: [{ figure: 'ingest.baseline_next_noop_p99_ms', label: 'Next.js no-op p99' }] },
    { figure: 'ingest.non_202', label: 'ingest answers other than 202', unit: '' },
  ],
  async run(ctx) {
    const web = await ctx.web();
    // Nothing listens on port 9 (discard); the worker does not run in this section anyway.
    const setup = await createStripeSetup({ slug: 'bench-stripe', destinationUrl: 'http://127.0.0.1:9/bench' });
    const requestsOptions: StripeRequestsOptions = { slug: setup.slug, secret: setup.secret };
    const cpu = ctx.watchCpu();
    const database = await watchDatabase(ctx.database.url);
    const cpuHooks = cpu.hooks('autocannon');
    const hooks: WorkerHooks = {
      onMeasureStart(pid) {
        cpuHooks.onMeasureStart?.(pid);
        database.start();
      },
      onMeasureEnd(pid) {
        cpuHooks.onMeasureEnd?.(pid);
        database.end();
      },
    };
    let load: Awaited<ReturnType<typeof runLoad>>;
    let activity: Awaited<ReturnType<typeof database.result>>;
    try {
      load = await runLoad(
        'ingest load',
        {
          url: web.baseUrl,
          path: `/api/ingest/${setup.slug}`,
          requestsModule: 'bench/load/stripe-requests.ts',
          requestsOptions,
          connections: ctx.connections,
          warmupSeconds: ctx.warmupSeconds,
          durationSeconds: ctx.durationSeconds,
          expectStatus: 202,
        },
        hooks,
      );
      activity = await database.result();
    } finally {
      await database.close();
    }
    const { warmup, measured } = load;
    ctx.log(
      `ingest: ${measured.ok} × 202 in ${measured.seconds} s = ${measured.rps}/s ` +
        `(p50 ${measured.p50Ms} ms, p90 ${measured.p90Ms} ms, p99 ${measured.p99Ms} ms, max ${measured.maxMs} ms; responses: ${describeStatuses(measured)})`,
    );

    ctx.log(`ingest: ${cpu.describe()}`);
    if (activity) {
      const perSecond = (count: number) => Math.round(count / activity.seconds);
      const commits = perSecond(activity.commits);
      const notifies = perSecond(activity.notifications);
      ctx.log(
        `ingest: Postgres committed ~${commits} transactions/s of all kinds, ~${(measured.rps / Math.max(1, commits)).toFixed(1)} events per commit ` +
          `(the group commit's batches carry at least that); ~${notifies} wake-up NOTIFYs/s seen on ${DELIVERIES_CHANNEL} (most ride inside event batches)`,
      );
    }
    const problems: string[] = [];
    const notes: string[] = [];
    const accepted = (warmup?.ok ?? 0) + measured.ok;
    const [counts] = await ctx.query<{ events: string; deliveries: string }>(
      `SELECT (SELECT count(*) FROM events WHERE source_id = $1) AS events,
              (SELECT count(*) FROM deliveries WHERE source_id = $1) AS deliveries`,
      [setup.sourceId],
    );
    const events = Number(counts?.events ?? 0);
    const deliveries = Number(counts?.deliveries ?? 0);
    const durability = `durability: ${events} events and ${deliveries} deliveries stored for ${accepted} answers 202 (warm-up included)`;
    ctx.log(durability);
    notes.push(durability);
    if (events < accepted) problems.push(`ingest: only ${events} events are stored, but ${accepted} requests were answered 202`);
    if (deliveries !== events) problems.push(`ingest: ${events} events but ${deliveries} deliveries (one route: expected one each)`);
    const nonAccepted = measured.unexpected + (warmup?.unexpected ?? 0);
    if (nonAccepted > 0) {
      notes.push(
        `ingest: ${nonAccepted} answers were not 202 (measured: ${describeStatuses(measured)}${warmup ? `; warm-up: ${describeStatuses(warmup)}` : ''})`,
      );
    }
    return {
      meta: {
        cpu: cpu.report(),
        latencyMs: { p90: measured.p90Ms, max: measured.maxMs, mean: measured.meanMs },
        statuses: { measured: measured.statusCounts, warmup: warmup?.statusCounts ?? null },
        stored: { events, deliveries, answered202: accepted },
        database: activity,
      },
      figures: { ingest: { rps: measured.rps, p50_ms: measured.p50Ms, p99_ms: measured.p99Ms, non_202: measured.unexpected } },
      problems,
      notes,
    };
  },
};
