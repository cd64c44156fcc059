/**
 * Measures what a route transform costs per call (docs/transformations.md): a trivial transform
 * run in this thread (fresh QuickJS runtime and context each time) and through the worker's
 * sandbox pool (plus the thread round trip). Run: npx tsx scripts/measure-transform-cost.ts
 */
import { runTransform } from '@/lib/transforms/sandbox';
import { createTransformPool } from '@/lib/transforms/transform-pool';

const event = { eventType: 'order.created', source: 'shop', headers: { 'content-type': 'application/json' }, body: { id: 'ord_1', amount: 1250 } };
const trivial = 'function transform(event) { event.body.cents = event.body.amount; return event; }';
const calls = 500;

function summary(name: string, samples: number[]): void {
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(2);
  console.log(`${name}: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms over ${samples.length} calls`);
}

for (let i = 0; i < 50; i++) await runTransform(trivial, event);
const inThread: number[] = [];
for (let i = 0; i < calls; i++) {
  const started = performance.now();
  await runTransform(trivial, event);
  inThread.push(performance.now() - started);
}
summary('in this thread', inThread);

const pool = createTransformPool({ size: 1 });
for (let i = 0; i < 50; i++) await pool.run(trivial, event);
const pooled: number[] = [];
for (let i = 0; i < calls; i++) {
  const started = performance.now();
  await pool.run(trivial, event);
  pooled.push(performance.now() - started);
}
summary('through the pool', pooled);
await pool.close();
