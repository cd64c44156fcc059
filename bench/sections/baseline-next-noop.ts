/**
 * Baseline for ingest: what Next.js serves when a request does nothing. autocannon with the same
 * concurrency against `GET /api/health/live`, a no-op Next.js route handler, sent straight to the
 * Next.js process's socket (next-server.ts), not through server.ts's proxy, which would add its
 * own cost to the baseline. It is the framework's (and node:http's) per-request cost; ingest
 * answers in server.ts, without the framework, so it can exceed this.
 */
import { describeStatuses, runLoad } from '../lib/load';
import type { Section } from '../lib/section';

export const baselineNextNoop: Section = {
  id: 'baseline-next-noop',
  title: 'baseline: no-op Next.js route handler',
  async run(ctx) {
    const web = await ctx.web();
    const cpu = ctx.watchCpu();
    const { measured } = await runLoad(
      'next no-op load',
      {
        url: web.baseUrl,
        socketPath: web.dashboardSocket,
        method: 'GET',
        path: '/api/health/live',
        connections: ctx.connections,
        warmupSeconds: ctx.warmupSeconds,
        durationSeconds: ctx.durationSeconds,
        expectStatus: 200,
      },
      cpu.hooks('autocannon'),
    );
    ctx.log(
      `next no-op: ${measured.ok} × 200 in ${measured.seconds} s = ${measured.rps}/s ` +
        `(p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms; responses: ${describeStatuses(measured)})`,
    );
    ctx.log(`next no-op: ${cpu.describe()}`);
    return {
      meta: { cpu: cpu.report(), latencyMs: { p90: measured.p90Ms, max: measured.maxMs, mean: measured.meanMs } },
      figures: {
        ingest: {
          baseline_next_noop_rps: measured.rps,
          baseline_next_noop_p50_ms: measured.p50Ms,
          baseline_next_noop_p99_ms: measured.p99Ms,
        },
      },
      problems: measured.unexpected ? [`next no-op: ${measured.unexpected} responses were not 200 (${describeStatuses(measured)})`] : [],
    };
  },
};
