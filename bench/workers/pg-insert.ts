/**
 * The database baseline, in a process of its own: N connections through `pg`, each inserting one
 * ~1 KiB event-shaped row per transaction (autocommit) into a copy of `events` with the same
 * indexes, as fast as it can. A warm-up runs first; transactions that complete inside the
 * measured window are counted.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { newId } from '@/lib/db/ids';
import { serveWorker } from '../lib/worker';
import { nextEventId, stripeEventBody } from '../load/stripe-event';

export interface PgInsertOptions {
  url: string;
  table: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface PgInsertResult {
  transactions: number;
  seconds: number;
  tps: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  firstError: string | null;
}

const HEADERS = JSON.stringify({
  host: 'hooks.example.com',
  'content-type': 'application/json; charset=utf-8',
  'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
  accept: '*/*; q=0.5, application/xml',
  'cache-control': 'no-cache',
  'stripe-signature': 't=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  'content-length': '1025',
});

async function run(options: PgInsertOptions, phase: (phase: 'measuring' | 'measured') => void): Promise<PgInsertResult> {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.table)) throw new Error(`bad table name ${options.table}`);
  const text = `INSERT INTO ${options.table} (id, source_id, received_at, method, query, headers, body, payload, content_type, size,
      source_ip, verification, matched_secret_id, dedup_key, event_type)
    VALUES ($1, $2, $3, 'POST', NULL, $4::jsonb, $5, $6::jsonb, 'application/json; charset=utf-8', $7,
      '127.0.0.1', 'verified', NULL, $8, 'payment_intent.succeeded')`;
  const sourceId = newId();
  const clients = await Promise.all(
    Array.from({ length: options.connections }, async () => {
      const client = new pg.Client({ connectionString: options.url, application_name: 'hookyard-bench-pg' });
      await client.connect();
      return client;
    }),
  );

  const start = performance.now();
  const measureFrom = start + options.warmupSeconds * 1000;
  const measureUntil = measureFrom + options.durationSeconds * 1000;
  let transactions = 0;
  let errors = 0;
  let firstError: string | null = null;
  const latencies: number[] = [];
  const timers = [setTimeout(() => phase('measuring'), measureFrom - performance.now()), setTimeout(() => phase('measured'), measureUntil - performance.now())];

  const loop = async (client: pg.Client) => {
    for (;;) {
      const began = performance.now();
      if (began >= measureUntil) return;
      const eventId = nextEventId();
      const body = stripeEventBody(eventId, Math.floor(Date.now() / 1000));
      const bytes = Buffer.from(body);
      try {
        await client.query({ name: 'bench_insert', text, values: [newId(), sourceId, new Date(), HEADERS, bytes, body, bytes.length, eventId] });
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
        if (errors > 1000) throw new Error(`too many failed inserts; first: ${firstError}`);
        continue;
      }
      const ended = performance.now();
      if (ended >= measureFrom && ended <= measureUntil) {
        transactions++;
        latencies.push(ended - began);
      }
    }
  };
  try {
    await Promise.all(clients.map(loop));
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    transactions,
    seconds: options.durationSeconds,
    tps: Math.round((transactions / options.durationSeconds) * 10) / 10,
    errors,
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
    firstError,
  };
}

serveWorker(run);
