/**
 * Baseline for ingest: single-row INSERT transactions per second straight through `pg`, with the
 * same concurrency and duration as the ingest run, into a copy of `events` that has the same
 * indexes (LIKE … INCLUDING ALL: primary key, the dedup unique index, the B-trees and the GIN on
 * payload), each row carrying a ~1 KiB body and its jsonb copy, like an ingested event. This is
 * "one commit per request" done as cheaply as a client can; ingest's group commit should beat it.
 */
import type { Section } from '../lib/section';
import { runWorker } from '../lib/worker';
import type { PgInsertOptions, PgInsertResult } from '../workers/pg-insert';

const TABLE = 'bench_baseline_events';

export const baselinePg: Section = {
  id: 'baseline-pg',
  title: 'baseline: single-row INSERTs through pg',
  async run(ctx) {
    await ctx.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await ctx.query(`CREATE TABLE ${TABLE} (LIKE events INCLUDING ALL)`);
    try {
      const cpu = ctx.watchCpu();
      const result = await runWorker<PgInsertOptions, PgInsertResult>(
        'pg baseline',
        'bench/workers/pg-insert.ts',
        { url: ctx.database.url, table: TABLE, connections: ctx.connections, warmupSeconds: ctx.warmupSeconds, durationSeconds: ctx.durationSeconds },
        cpu.hooks('pg client'),
      );
      ctx.log(
        `pg baseline: ${result.transactions} INSERT transactions in ${result.seconds} s = ${result.tps}/s ` +
          `(p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms${result.errors ? `, ${result.errors} errors, first: ${result.firstError}` : ''})`,
      );
      ctx.log(`pg baseline: ${cpu.describe()}`);
      return {
        figures: { ingest: { baseline_pg_insert_tps: result.tps } },
        meta: { cpu: cpu.report(), pgLatencyMs: { p50: result.p50Ms, p99: result.p99Ms } },
        problems: result.errors ? [`pg baseline: ${result.errors} INSERTs failed (first: ${result.firstError})`] : [],
      };
    } finally {
      await ctx.query(`DROP TABLE IF EXISTS ${TABLE}`);
    }
  },
};
