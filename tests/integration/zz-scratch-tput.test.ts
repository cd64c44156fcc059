import { afterAll, expect, it } from 'vitest';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { DeliveryWorker } from '@/lib/delivery/delivery-worker';
import { createBulkDeliveries, createTestDestination, createTestSource } from '../support/fixtures';
import { startSink, waitFor } from '../support/sink';

afterAll(async () => { await closeSql(); await db().$disconnect(); });

for (const maxConcurrency of [10, 50]) {
  it(`throughput at ${maxConcurrency}`, async () => {
    const sink = await startSink(() => ({ status: 200 }));
    const { source } = await createTestSource({ provider: 'none' });
    const destination = await createTestDestination({ url: `${sink.url}/agent`, data: { maxConcurrency } });
    await createBulkDeliveries(source.id, destination.id, 1000);
    const worker = new DeliveryWorker(sql);
    const t0 = Date.now();
    await worker.start();
    await waitFor(async () => (await db().delivery.count({ where: { destinationId: destination.id, status: 'succeeded' } })) === 1000, 60_000);
    console.log(`max ${maxConcurrency}: ${Math.round(1000 / ((Date.now() - t0) / 1000))}/s`);
    await worker.stop(); await sink.close();
    expect(1).toBe(1);
  }, 60_000);
}
