// A worker killed (SIGKILL) between a broker publish and the broker's confirmation loses no
// message: real worker processes (scripts/worker.ts), the machine's real brokers behind a TCP
// proxy that forwards the publish but holds the broker's answer. The lease expires, another worker
// publishes again: at least once. For NATS JetStream the second publish carries the same
// Nats-Msg-Id (the webhook-id), so the stream keeps one copy. Under CI=true every broker must be
// there; elsewhere a broker not listening on its default port skips its test and says so.
import { connect as amqpConnect } from 'amqplib';
import { connect as natsConnect } from 'nats';
import { createClient } from 'redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Prisma } from '@/lib/db/generated/client';
import { db } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { flushDeliveryStats } from '@/lib/worker/delivery-stats';
import { addSigningSecret, createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';
import { waitFor } from '../support/sink';
import { brokerSkips } from '../support/local-brokers';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { startWorkerProcess, waitForRegistration, type WorkerProcess } from '../support/worker-process';

const skip = await brokerSkips('destination-brokers-crash');

const workers: WorkerProcess[] = [];
const proxies: TcpProxy[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
});

afterAll(async () => {
  await flushDeliveryStats();
  await closeSql();
  await db().$disconnect();
});

const statusOf = async (id: string) => (await db().delivery.findUniqueOrThrow({ where: { id } })).status;

/**
 * Warm-up delivery (the connection is up), then the answer is held for the second one; once the
 * broker holds its message (`stored` reaches 2) the worker is killed, a new one takes over the
 * lease and delivers. Returns the second delivery's attempts.
 */
async function killedBetweenPublishAndConfirm(
  brokerPort: number,
  urlFor: (port: number) => string,
  options: Record<string, unknown>,
  stored: () => Promise<number>,
) {
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: brokerPort });
  proxies.push(proxy);
  const { source } = await createTestSource({ provider: 'none' });
  // Lease = timeout 5 s + margin 1 s (tests/support/worker-process.ts): long enough for the kill to come first.
  const destination = await createTestDestination({
    url: urlFor(proxy.port),
    data: { options: options as Prisma.InputJsonObject, retrySchedule: [0, 1, 1, 1], timeoutMs: 5000 },
  });
  await addSigningSecret(destination.id);
  const first = startWorkerProcess();
  workers.push(first);
  await waitForRegistration(first);

  const warmUp = (await createTestEvent({ sourceId: source.id, destinationIds: [destination.id] })).deliveries[0]!;
  await waitFor(async () => (await statusOf(warmUp.id)) === 'succeeded' || undefined, 20_000, 'the warm-up delivery');

  proxy.holdReplies = true;
  const held = (await createTestEvent({ sourceId: source.id, destinationIds: [destination.id] })).deliveries[0]!;
  await waitFor(async () => (await stored()) >= 2 || undefined, 20_000, 'the broker to hold the second message');
  expect(await statusOf(held.id)).toBe('in_flight');
  await first.stop('SIGKILL');
  proxy.holdReplies = false;

  const second = startWorkerProcess();
  workers.push(second);
  await waitFor(
    async () => (await statusOf(held.id)) === 'succeeded' || undefined,
    30_000,
    `the held delivery to be taken over; output: ${second.output().slice(-500)}`,
  );
  const attempts = await db().attempt.findMany({ where: { deliveryId: held.id }, orderBy: { attemptNumber: 'asc' } });
  expect(attempts.map((a) => a.errorKind)).toEqual(['worker_lost', null]);
  return attempts;
}

describe.skipIf(skip('nats'))('NATS JetStream', () => {
  it('a worker killed before the PubAck: the next worker publishes again and JetStream keeps one copy (Nats-Msg-Id)', async () => {
    const nc = await natsConnect({ servers: '127.0.0.1:4222' });
    const jsm = await nc.jetstreamManager();
    const stream = `HOOKYARD_CRASH_${Date.now()}`;
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
    const messages = async () => Number((await jsm.streams.info(stream)).state.messages);
    try {
      const attempts = await killedBetweenPublishAndConfirm(4222, (port) => `nats://127.0.0.1:${port}`, { subject: `${stream}.events` }, messages);
      expect(Buffer.from(attempts[1]!.responseBody!).toString()).toMatch(/duplicate/);
      expect(await messages()).toBe(2);
    } finally {
      await jsm.streams.delete(stream);
      await nc.close();
    }
  }, 60_000);
});

describe.skipIf(skip('amqp'))('RabbitMQ', () => {
  it('a worker killed before the publisher confirm: the next worker publishes again (at least once, same message_id)', async () => {
    const connection = await amqpConnect('amqp://guest:guest@127.0.0.1:5672');
    const channel = await connection.createChannel();
    const queue = `hookyard-crash-${Date.now()}`;
    await channel.assertQueue(queue, { durable: false, autoDelete: false });
    const count = async () => (await channel.checkQueue(queue)).messageCount;
    try {
      await killedBetweenPublishAndConfirm(5672, (port) => `amqp://guest:guest@127.0.0.1:${port}`, { routingKey: queue }, count);
      expect(await count()).toBe(3);
      const ids = [];
      for (let i = 0; i < 3; i++) {
        const message = await channel.get(queue, { noAck: true });
        if (message) ids.push(message.properties.messageId as string);
      }
      // The warm-up, then the held message twice: one id, so consumers can drop the copy.
      expect(ids[1]).toBe(ids[2]);
    } finally {
      await channel.deleteQueue(queue);
      await connection.close();
    }
  }, 60_000);
});

describe.skipIf(skip('redis'))('Redis Streams', () => {
  it('a worker killed before the XADD reply: the next worker adds it again (at least once, same webhook_id)', async () => {
    const stream = `hookyard-crash-${Date.now()}`;
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    try {
      await killedBetweenPublishAndConfirm(
        6379,
        (port) => `redis://127.0.0.1:${port}`,
        { stream },
        () => client.xLen(stream),
      );
      const entries = await client.xRange(stream, '-', '+');
      expect(entries).toHaveLength(3);
      expect(entries![1]!.message.webhook_id).toBe(entries![2]!.message.webhook_id);
    } finally {
      await client.del(stream);
      client.destroy();
    }
  }, 60_000);
});
