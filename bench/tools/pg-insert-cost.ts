/**
 * What a group-commit batch costs Postgres, per event: ingest's own batch statement
 * (lib/ingest/event-writer.ts) run serially with fixed batch sizes against a fresh database,
 * with Postgres' CPU time read from /proc (the postmaster and its children only). Optional
 * schema variants (SQL run before a variant's rounds, cumulative) show what an index or a
 * foreign key costs. Used for docs/performance.md's "Where the time goes".
 *
 *   npx tsx bench/tools/pg-insert-cost.ts                       # batches of 1, 10 and 50
 *   BATCHES=10 VARIANTS='ALTER TABLE … DROP CONSTRAINT …' npx tsx bench/tools/pg-insert-cost.ts
 *   CLIENTS=2 BATCHES=16 npx tsx bench/tools/pg-insert-cost.ts   # 2 batches in flight at all times
 *
 * Needs a local Postgres (embedded when DATABASE_URL is unset, as npm run bench).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { JsonText } from '@/lib/ingest/event-writer';
import { startDatabase } from '../lib/database';

function cpuTicks(postmasterPid: number): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pid) !== postmasterPid && Number(fields[1]) !== postmasterPid) continue;
      total += Number(fields[11]) + Number(fields[12]); // utime + stime
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

async function main() {
  const database = await startDatabase((line) => console.log(line));
  try {
    if (!database.postmasterPid) throw new Error('Postgres must run on this machine (its CPU is read from /proc)');
    process.env.DATABASE_URL = database.url;
    process.env.HOOKYARD_MASTER_KEY = randomBytes(32).toString('base64');
    process.env.AUTH_SECRET = randomBytes(32).toString('base64');
    const { createStripeSetup } = await import('../lib/fixtures');
    const { EventWriter } = await import('@/lib/ingest/event-writer');
    const { sql } = await import('@/lib/db/sql');
    const { newId } = await import('@/lib/db/ids');
    const { nextEventId, stripeEventBody } = await import('../load/stripe-event');

    const setup = await createStripeSetup({ slug: 'cost', destinationUrl: 'http://127.0.0.1:9/' });
    const headers = JSON.stringify({
      host: 'hooks.example.com',
      'content-type': 'application/json',
      'stripe-signature': `t=1,v1=${'a'.repeat(64)}`,
    }) as JsonText;
    // One writer per client, each with one batch in flight: CLIENTS batches run at once.
    const clients = Number(process.env.CLIENTS ?? 1);
    const writers = Array.from({ length: clients }, () => new EventWriter(sql, { maxConcurrent: 1, maxBatch: 1000 }));
    const events = Number(process.env.EVENTS ?? 6000);
    const batches = (process.env.BATCHES ?? '1,10,50').split(',').map(Number);
    const variants = ['', ...(process.env.VARIANTS ? process.env.VARIANTS.split('|') : [])];
    const ticksPerSecond = 100;

    const writeBatches = async (writer: InstanceType<typeof EventWriter>, count: number, batch: number) => {
      for (let i = 0; i < count / batch; i++) {
        await Promise.all(
          Array.from({ length: batch }, () => {
            const id = nextEventId();
            const body = stripeEventBody(id, Math.floor(Date.now() / 1000));
            return writer.write(
              {
                id: newId(),
                sourceId: setup.sourceId,
                receivedAt: new Date(),
                method: 'POST',
                query: null,
                headers,
                body: Buffer.from(body),
                payload: body as JsonText,
                contentType: 'application/json',
                size: body.length,
                sourceIp: '127.0.0.1',
                verification: 'verified',
                matchedSecretId: null,
                dedupKey: id,
                eventType: 'payment_intent.succeeded',
              },
              [{ id: newId(), destinationId: setup.destinationId, routeId: setup.routeId, orderingKey: null }],
            );
          }),
        );
      }
    };

    for (const variant of variants) {
      if (variant) await sql().unsafe(variant);
      for (const batch of batches) {
        // The first round warms caches and plans; the second is reported.
        for (let round = 0; round < 2; round++) {
          const started = performance.now();
          const ticks = cpuTicks(database.postmasterPid);
          await Promise.all(writers.map((writer) => writeBatches(writer, events / clients, batch)));
          if (round === 0) continue;
          const seconds = (performance.now() - started) / 1000;
          const cpuMicros = ((cpuTicks(database.postmasterPid) - ticks) / ticksPerSecond) * 1e6;
          console.log(
            `${(variant || 'schema as migrated').slice(0, 70).padEnd(70)}  batch ${String(batch).padStart(3)} × ${clients} in flight: ${Math.round(events / seconds)} events/s, Postgres CPU ${Math.round(cpuMicros / events)} µs/event`,
          );
        }
      }
    }
  } finally {
    const { closeSql } = await import('@/lib/db/sql');
    await closeSql();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
