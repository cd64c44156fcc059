/**
 * The payload index's pending list is merged from a connection of its own once enough events
 * were written (lib/ingest/gin-pending-list.ts), so that no ingest commit has to do it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/prisma';
import { sql } from '@/lib/db/sql';
import { GinPendingListCleaner, PAYLOAD_INDEX } from '@/lib/ingest/gin-pending-list';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';

async function pendingPages(): Promise<number> {
  const [row] = await sql()<{ pending_pages: number }[]>`SELECT pending_pages FROM pgstatginindex(${PAYLOAD_INDEX}::regclass)`;
  return row!.pending_pages;
}

beforeAll(async () => {
  await sql()`CREATE EXTENSION IF NOT EXISTS pgstattuple`;
});

afterAll(async () => {
  await db().$disconnect();
});

describe('GinPendingListCleaner', () => {
  it('merges the pending list once enough events were written, and not before', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const destination = await createTestDestination({ url: 'http://127.0.0.1:9/x' });
    for (let i = 0; i < 30; i++) await createTestEvent({ sourceId: source.id, destinationIds: [destination.id] });
    expect(await pendingPages()).toBeGreaterThan(0);

    const cleaner = new GinPendingListCleaner(sql, 50);
    cleaner.noteWritten(30);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await pendingPages()).toBeGreaterThan(0);

    cleaner.noteWritten(20);
    await expect.poll(pendingPages, { timeout: 5000 }).toBe(0);
  });

  it('reports how many pages it merged', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const destination = await createTestDestination({ url: 'http://127.0.0.1:9/x' });
    for (let i = 0; i < 10; i++) await createTestEvent({ sourceId: source.id, destinationIds: [destination.id] });
    const cleaner = new GinPendingListCleaner(sql);
    expect(await cleaner.clean()).toBeGreaterThan(0);
    expect(await cleaner.clean()).toBe(0);
  });
});
