/**
 * Delivery and end to end. A local sink answers 200 at once (a node:http server in the bench
 * process). delivery.per_s: N deliveries are put in the job table and one worker process
 * (scripts/worker.ts, as production runs it) sends them; the rate is N over the time from the
 * sink's first to its last receipt. end_to_end: with that worker running, events are posted to
 * the ingest route at a steady 500/s; the latency is from the moment the 202 arrives to the
 * moment the sink has the forwarded request (negative values, where the forward beat the 202 back
 * to the client, count as 0).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createStripeSetup } from '../lib/fixtures';
import { withHeapLimit } from '@/lib/config/heap-limit';
import { spawnTsx, stopProcess } from '../lib/processes';
import type { Section } from '../lib/section';
import { startSink } from '../../tests/support/sink';

const E2E_RATE = 500;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const delivery: Section = {
  id: 'delivery',
  title: 'delivery and end to end',
  rows: [
    { figure: 'delivery.per_s', label: 'deliveries to a sink answering 200', unit: '/s' },
    { figure: 'end_to_end.p50_ms', label: `end to end at ${E2E_RATE}/s, p50 (202 → sink)`, unit: 'ms' },
    { figure: 'end_to_end.p99_ms', label: `end to end at ${E2E_RATE}/s, p99`, unit: 'ms' },
  ],
  async run(ctx) {
    const web = await ctx.web();
    // The ingest section's deliveries point at a closed port: park them.
    await ctx.query(`UPDATE deliveries SET status = 'cancelled' WHERE status IN ('pending', 'in_flight', 'paused')`);

    const arrivals = new Map<string, number>();
    let received = 0;
    let first = 0;
    let last = 0;
    const sink = await startSink({
      record: false,
      onRequest: (request) => {
        const now = performance.now();
        received++;
        first ||= now;
        last = now;
        const marker = /"bench_id":"([^"]+)"/.exec(request.body.toString())?.[1];
        if (marker) arrivals.set(marker, now);
      },
    });
    const sinkUrl = `${sink.url}/sink`;
    const setup = await createStripeSetup({ slug: 'bench-delivery', destinationUrl: sinkUrl });
    await ctx.query('UPDATE destinations SET max_concurrency = 500 WHERE id = $1', [setup.destinationId]);

    const count = ctx.quick ? 5_000 : 20_000;
    await ctx.query(
      `WITH e AS (
         INSERT INTO events (id, source_id, received_at, headers, body, payload, content_type, size, verification, event_type)
         SELECT gen_random_uuid(), $1::uuid, now(), '{"content-type":"application/json"}'::jsonb,
                convert_to('{"n":' || g || ',"pad":"' || repeat('x', 900) || '"}', 'UTF8'), NULL, 'application/json', 920, 'verified', 'bench.bulk'
         FROM generate_series(1, $3::int) AS g RETURNING id, received_at)
       INSERT INTO deliveries (id, event_id, source_id, destination_id, status, next_attempt_at, created_at, updated_at)
       SELECT gen_random_uuid(), e.id, $1::uuid, $2::uuid, 'pending', e.received_at, e.received_at, e.received_at FROM e`,
      [setup.sourceId, setup.destinationId, count],
    );

    const worker = spawnTsx('worker', 'scripts/worker.ts', withHeapLimit('worker', { ...ctx.hookyardEnv, HOOKYARD_PROCESS: 'worker', LOG_LEVEL: 'warn' }));
    const problems: string[] = [];
    try {
      const deadline = Date.now() + (ctx.quick ? 120_000 : 300_000);
      while (received < count && Date.now() < deadline) {
        ctx.checkStopped();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (received < count) problems.push(`delivery: only ${received} of ${count} deliveries arrived in time`);
      const perSecond = Math.round((count / ((last - first) / 1000)) * 10) / 10;
      ctx.log(`delivery: ${count} deliveries in ${Math.round(last - first)} ms = ${perSecond}/s`);

      // End to end at a steady rate, with the worker idle and waiting.
      const seconds = ctx.quick ? 5 : 15;
      const sent = new Map<string, number>();
      let non202 = 0;
      const started = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < seconds * E2E_RATE; i++) {
        const due = started + (i * 1000) / E2E_RATE;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        const id = randomBytes(8).toString('hex');
        const body = JSON.stringify({
          id: `evt_${id}`,
          object: 'event',
          type: 'charge.succeeded',
          bench_id: id,
          data: { object: { id: `ch_${id}`, amount: 1000 } },
        });
        const timestamp = Math.floor(Date.now() / 1000);
        const signature = createHmac('sha256', setup.secret).update(`${timestamp}.${body}`).digest('hex');
        inFlight.push(
          fetch(`${web.baseUrl}/api/ingest/${setup.slug}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'stripe-signature': `t=${timestamp},v1=${signature}` },
            body,
          }).then(async (response) => {
            await response.arrayBuffer();
            if (response.status === 202) sent.set(id, performance.now());
            else non202++;
          }),
        );
      }
      await Promise.all(inFlight);
      const settleDeadline = Date.now() + 30_000;
      while ([...sent.keys()].some((id) => !arrivals.has(id)) && Date.now() < settleDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const latencies = [...sent.entries()].map(([id, at]) => Math.max(0, (arrivals.get(id) ?? Number.POSITIVE_INFINITY) - at)).sort((a, b) => a - b);
      const lost = latencies.filter((latency) => !Number.isFinite(latency)).length;
      if (lost > 0) problems.push(`end to end: ${lost} accepted events never reached the sink within 30 s`);
      if (non202 > 0) problems.push(`end to end: ${non202} answers other than 202`);
      const p50 = Math.round(percentile(latencies, 50) * 10) / 10;
      const p99 = Math.round(percentile(latencies, 99) * 10) / 10;
      ctx.log(`end to end: ${sent.size} events at ${E2E_RATE}/s, p50 ${p50} ms, p99 ${p99} ms`);
      return { figures: { delivery: { per_s: perSecond }, end_to_end: { p50_ms: p50, p99_ms: p99 } }, problems };
    } finally {
      await stopProcess(worker);
      await sink.close();
    }
  },
};
