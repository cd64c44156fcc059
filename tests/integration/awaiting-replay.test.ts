/**
 * "Failed, waiting for a replay" has one definition (lib/deliveries/awaiting-replay.ts), and every
 * place that shows it shows the same number: the overview, the destinations list and page (the
 * backlog of loadDestinationHealth), the failed queue, and a bulk replay's dry run of `failed`.
 * Before, the overview and the destinations pages counted every failed row, replayed or not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { countAwaitingReplay } from '@/lib/deliveries/awaiting-replay';
import { listFailedGroups } from '@/lib/deliveries/failed-groups';
import { loadDestinationHealth } from '@/lib/destinations/destination-health-summary';
import { loadQueueStats } from '@/lib/overview/queue-stats';
import { countReplayMatches } from '@/lib/replay/bulk-replay-match';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';

let sourceId: string;
let destinationId: string;
let otherId: string;

async function failed(destination: string, minutesAgo: number) {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  const event = await createTestEvent({ sourceId, destinationIds: [destination], receivedAt: at, eventType: 'invoice.paid' });
  const id = event.deliveries[0]!.id;
  await db().delivery.update({
    where: { id },
    data: { status: 'failed', attemptCount: 3, lastError: 'http_status: HTTP 500', lastStatusCode: 500, completedAt: at, updatedAt: at },
  });
  return id;
}

/** A replay of `originalId`: a later delivery of the same event to the same destination. */
async function replay(originalId: string, status: 'succeeded' | 'failed' | 'pending' | 'in_flight' | 'cancelled') {
  const row = await db().delivery.findUniqueOrThrow({ where: { id: originalId } });
  const createdAt = new Date(row.createdAt.getTime() + 60_000);
  await db().delivery.create({
    data: {
      id: newId(),
      eventId: row.eventId,
      sourceId: row.sourceId,
      destinationId: row.destinationId,
      status,
      createdAt,
      updatedAt: createdAt,
      nextAttemptAt: createdAt,
      completedAt: ['succeeded', 'failed', 'cancelled'].includes(status) ? createdAt : null,
      replayOfId: row.id,
      lastError: status === 'failed' ? 'http_status: HTTP 503' : null,
      lastStatusCode: status === 'failed' ? 503 : null,
    },
  });
}

beforeAll(async () => {
  sourceId = (await createTestSource({ provider: 'none', slug: 'ar-shop' })).source.id;
  destinationId = (await createTestDestination({ url: 'http://127.0.0.1:9/ar', data: { name: 'AR receiver' } })).id;
  otherId = (await createTestDestination({ url: 'http://127.0.0.1:9/ar-other', data: { name: 'AR other' } })).id;
  const ids: string[] = [];
  for (let i = 0; i < 9; i++) ids.push(await failed(destinationId, 90 - i));
  await replay(ids[0]!, 'succeeded'); // replayed successfully: out
  await replay(ids[1]!, 'succeeded'); // out
  await replay(ids[2]!, 'pending'); // on its way: out
  await replay(ids[3]!, 'in_flight'); // being sent: out
  await replay(ids[4]!, 'failed'); // failed again: the replay counts, the original does not (once per event)
  await replay(ids[5]!, 'cancelled'); // a cancelled bulk replay sent nothing: the original still waits
  // ids 6, 7, 8: never replayed.
  await failed(otherId, 30);
});

afterAll(async () => {
  await closeSql();
});

describe('failed, waiting for a replay', () => {
  it('is the same number on the overview, the destinations list and page, the failed queue and a bulk replay', async () => {
    const expected = 5; // ids 4 (as its replay), 5, 6, 7, 8
    const queue = await listFailedGroups({ destinationId });
    const overview = await loadQueueStats({ destinationId });
    const list = await loadDestinationHealth();
    const page = await loadDestinationHealth({ destinationIds: [destinationId] });
    const dryRun = await countReplayMatches({ status: 'failed', destinationId });
    expect({
      queue: queue.total,
      overview: overview.failed,
      list: list.get(destinationId)?.backlog.failed,
      page: page.get(destinationId)?.backlog.failed,
      dryRun,
      direct: await countAwaitingReplay(sql(), { destinationId, cap: 1000 }),
    }).toEqual({ queue: expected, overview: expected, list: expected, page: expected, dryRun: expected, direct: expected });
  });

  it('adds up across destinations the same way', async () => {
    const queue = await listFailedGroups({});
    const overview = await loadQueueStats();
    const list = await loadDestinationHealth();
    const summed = [...list.values()].reduce((sum, health) => sum + health.backlog.failed, 0);
    expect(queue.total).toBe(6);
    expect(overview.failed).toBe(6);
    expect(summed).toBe(6);
    expect(await countReplayMatches({ status: 'failed' })).toBe(6);
  });
});
