/**
 * Destination types and transforms (issue 14): deliveries per second from one worker process
 * (scripts/worker.ts) to each kind of destination, the same way for each. N pending deliveries of
 * a ~920-byte JSON body are put in the job table for one destination; the rate is N over the
 * time from the first attempt's start to the last attempt's end, as the attempts table records
 * them; every one must be `succeeded`. The kinds: HTTP to a local sink answering 200, HTTP with
 * a trivial route transform (which adds a header: the sandbox's whole round trip per delivery),
 * and the machine's RabbitMQ (publisher confirms), Redis (XADD) and NATS JetStream (PubAck). A
 * broker that is not listening on its default port is left out, with a note.
 *
 * `destination_types.transform_cost_ms` is what the transform adds per delivery at full
 * throughput: 1000/rate(with) − 1000/rate(without), in milliseconds of wall time.
 */
import { connect as amqpConnect } from 'amqplib';
import { connect as natsConnect } from 'nats';
import { createClient } from 'redis';
import type { Prisma } from '@/lib/db/generated/client';
import { DELIVERIES_CHANNEL } from '@/lib/db/channels';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { db } from '@/lib/db/prisma';
import { encryptUrlPassword, splitPassword } from '@/lib/destinations/broker-url';
import { withHeapLimit } from '@/lib/config/heap-limit';
import { spawnTsx, stopProcess } from '../lib/processes';
import type { BenchContext, Section } from '../lib/section';
import { localBrokers } from '../../tests/support/local-brokers';
import { startSink } from '../../tests/support/sink';

const TRIVIAL_TRANSFORM = `function transform(event) {
  event.headers['x-bench'] = 'transformed';
  return event;
}`;

const QUEUE = 'hookyard-bench';
const STREAM = 'hookyard:bench';
const NATS_STREAM = 'HOOKYARD_BENCH';

interface Target {
  figure: string;
  label: string;
  url: string;
  options?: Record<string, unknown>;
  transform?: string;
  /** The broker's default local port: the target is left out when nothing listens there. */
  port?: number;
}

/** The brokers' own side: a queue bound to the default exchange, a stream, a JetStream stream; emptied and removed afterwards. */
async function prepareBrokers(up: Record<'amqp' | 'redis' | 'nats', boolean>) {
  const cleanups: (() => Promise<void>)[] = [];
  if (up.amqp) {
    const connection = await amqpConnect('amqp://guest:guest@127.0.0.1:5672');
    const channel = await connection.createChannel();
    await channel.assertQueue(QUEUE, { durable: false, autoDelete: false });
    await channel.purgeQueue(QUEUE);
    cleanups.push(async () => {
      await channel.deleteQueue(QUEUE);
      await connection.close();
    });
  }
  if (up.redis) {
    const redis = createClient({ url: 'redis://127.0.0.1:6379' });
    await redis.connect();
    await redis.del(STREAM);
    cleanups.push(async () => {
      await redis.del(STREAM);
      await redis.quit();
    });
  }
  if (up.nats) {
    const nc = await natsConnect({ servers: '127.0.0.1:4222' });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(NATS_STREAM).catch(() => false);
    await jsm.streams.add({ name: NATS_STREAM, subjects: ['hookyard.bench.>'] });
    cleanups.push(async () => {
      await jsm.streams.delete(NATS_STREAM).catch(() => false);
      await nc.close();
    });
  }
  return async () => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  };
}

/** A source, a destination as the API stores it (a broker's password apart and encrypted) and a route. */
async function createTarget(target: Target, index: number) {
  const source = await db().source.create({ data: { name: `Bench types ${index}`, slug: `bench-types-${index}`, provider: 'none' } });
  const { url, password } = splitPassword(target.url);
  const destination = await db().destination.create({
    data: { name: `Bench ${target.label}`, url, options: (target.options ?? {}) as Prisma.InputJsonObject, maxConcurrency: 500 },
  });
  if (password) await db().destination.update({ where: { id: destination.id }, data: { urlPassword: encryptUrlPassword(destination.id, password) } });
  await db().route.create({ data: { sourceId: source.id, destinationId: destination.id, transform: target.transform ?? null } });
  await notifyConfigChanged();
  return { sourceId: source.id, destinationId: destination.id };
}

async function deliverAll(
  ctx: BenchContext,
  ids: { sourceId: string; destinationId: string },
  count: number,
): Promise<{ perSecond: number; problem: string | null }> {
  await ctx.query(
    `WITH e AS (
       INSERT INTO events (id, source_id, received_at, headers, body, payload, content_type, size, verification, event_type)
       SELECT gen_random_uuid(), $1::uuid, now(), '{"content-type":"application/json"}'::jsonb,
              convert_to('{"n":' || g || ',"pad":"' || repeat('x', 900) || '"}', 'UTF8'), NULL, 'application/json', 920, 'verified', 'bench.types'
       FROM generate_series(1, $3::int) AS g RETURNING id, received_at)
     INSERT INTO deliveries (id, event_id, source_id, destination_id, status, next_attempt_at, created_at, updated_at)
     SELECT gen_random_uuid(), e.id, $1::uuid, $2::uuid, 'pending', e.received_at, e.received_at, e.received_at FROM e`,
    [ids.sourceId, ids.destinationId, count],
  );
  await ctx.query(`NOTIFY ${DELIVERIES_CHANNEL}`);
  const deadline = Date.now() + (ctx.quick ? 120_000 : 300_000);
  let done = 0;
  while (Date.now() < deadline) {
    ctx.checkStopped();
    const [row] = await ctx.query<{ finished: number }>(
      `SELECT count(*)::int AS finished FROM deliveries WHERE destination_id = $1 AND status IN ('succeeded', 'failed', 'cancelled')`,
      [ids.destinationId],
    );
    done = row?.finished ?? 0;
    if (done >= count) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const [summary] = await ctx.query<{ succeeded: number; seconds: number | null }>(
    `SELECT (SELECT count(*)::int FROM deliveries WHERE destination_id = $1 AND status = 'succeeded') AS succeeded,
            extract(epoch FROM max(a.started_at + a.duration_ms * interval '1 millisecond') - min(a.started_at))::float8 AS seconds
     FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.destination_id = $1`,
    [ids.destinationId],
  );
  const succeeded = summary?.succeeded ?? 0;
  const seconds = summary?.seconds ?? 0;
  const perSecond = seconds > 0 ? Math.round((succeeded / seconds) * 10) / 10 : 0;
  const problem = succeeded < count ? `${succeeded} of ${count} succeeded (${done} finished) before the deadline` : null;
  return { perSecond, problem };
}

export const destinationTypes: Section = {
  id: 'destination_types',
  title: 'destination types and transforms',
  rows: [
    { figure: 'destination_types.http_per_s', label: 'HTTP to a sink answering 200', unit: '/s' },
    { figure: 'destination_types.http_transform_per_s', label: 'HTTP, with a trivial route transform', unit: '/s' },
    { figure: 'destination_types.transform_cost_ms', label: 'what a trivial transform adds per delivery', unit: 'ms' },
    { figure: 'destination_types.rabbitmq_per_s', label: 'RabbitMQ (publisher confirms)', unit: '/s' },
    { figure: 'destination_types.redis_per_s', label: 'Redis Streams (XADD)', unit: '/s' },
    { figure: 'destination_types.nats_per_s', label: 'NATS JetStream (PubAck)', unit: '/s' },
  ],
  async run(ctx) {
    // Earlier sections' deliveries point at a closed port or are done: park what is left.
    await ctx.query(`UPDATE deliveries SET status = 'cancelled' WHERE status IN ('pending', 'in_flight', 'paused')`);
    const sink = await startSink({ record: false });
    const up = await localBrokers();
    const notes: string[] = [];
    for (const [name, ok] of Object.entries(up)) if (!ok) notes.push(`destination types: ${name} is not listening on its default local port: left out`);
    const targets: Target[] = [
      { figure: 'http_per_s', label: 'HTTP', url: `${sink.url}/sink` },
      { figure: 'http_transform_per_s', label: 'HTTP with a transform', url: `${sink.url}/sink`, transform: TRIVIAL_TRANSFORM },
      { figure: 'rabbitmq_per_s', label: 'RabbitMQ', url: 'amqp://guest:guest@127.0.0.1:5672', options: { exchange: '', routingKey: QUEUE }, port: 5672 },
      { figure: 'redis_per_s', label: 'Redis Streams', url: 'redis://127.0.0.1:6379', options: { stream: STREAM }, port: 6379 },
      { figure: 'nats_per_s', label: 'NATS JetStream', url: 'nats://127.0.0.1:4222', options: { subject: 'hookyard.bench.{eventType}' }, port: 4222 },
    ].filter((target) => target.port === undefined || (target.port === 5672 ? up.amqp : target.port === 6379 ? up.redis : up.nats));

    const cleanUp = await prepareBrokers(up);
    const worker = spawnTsx('worker', 'scripts/worker.ts', withHeapLimit('worker', { ...ctx.hookyardEnv, HOOKYARD_PROCESS: 'worker', LOG_LEVEL: 'warn' }));
    const figures: Record<string, number> = {};
    const problems: string[] = [];
    try {
      const count = ctx.quick ? 2_000 : 5_000;
      // A first small batch per kind is not measured: connections, the sandbox thread, JIT.
      for (const [index, target] of targets.entries()) {
        const warm = await createTarget(target, 100 + index);
        await deliverAll(ctx, warm, 200);
        const ids = await createTarget(target, index);
        const { perSecond, problem } = await deliverAll(ctx, ids, count);
        if (problem) problems.push(`destination types: ${target.label}: ${problem}`);
        figures[target.figure] = perSecond;
        ctx.log(`destination types: ${count} deliveries to ${target.label}: ${perSecond}/s`);
      }
      if (figures.http_per_s && figures.http_transform_per_s) {
        figures.transform_cost_ms = Math.round((1000 / figures.http_transform_per_s - 1000 / figures.http_per_s) * 1000) / 1000;
      }
      return { figures: { destination_types: figures }, problems, notes };
    } finally {
      await stopProcess(worker);
      await cleanUp();
      await sink.close();
    }
  },
};
