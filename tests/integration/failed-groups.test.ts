/**
 * The failed-deliveries queue against a real Postgres: what is in it (failed, and still the
 * latest delivery of its event to its destination), how it groups (destination × error kind ×
 * status code or message prefix), its filters, the keyset pages of one group, that its total is
 * exactly what a bulk replay of the same filter would re-send, and replaying a selection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/principal';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { countReplayMatches } from '@/lib/replay/bulk-replay-match';
import { listFailedGroupDeliveries, listFailedGroups } from '@/lib/deliveries/failed-groups';
import type { FailedGroupKey } from '@/lib/deliveries/failed.schema';
import { replayFailedDeliveries } from '@/lib/replay/replay-failed';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';

const support: Principal = { kind: 'user', id: newId(), label: 'support@failed.test', role: 'SUPPORT' };

let stripe: string;
let github: string;
let billing: string;
let crm: string;
let archive: string;

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** An event with one delivery to `destinationId`, ended as `status` with the given last error. */
async function delivery(input: {
  sourceId: string;
  destinationId: string;
  minutesAgo: number;
  status?: 'failed' | 'succeeded' | 'pending' | 'cancelled';
  error?: string | null;
  code?: number | null;
  eventType?: string;
}) {
  const at = minutesAgo(input.minutesAgo);
  const event = await createTestEvent({
    sourceId: input.sourceId,
    destinationIds: [input.destinationId],
    receivedAt: at,
    eventType: input.eventType ?? 'invoice.paid',
  });
  const id = event.deliveries[0]!.id;
  const status = input.status ?? 'failed';
  await db().delivery.update({
    where: { id },
    data: {
      status,
      attemptCount: 3,
      lastError: input.error === undefined ? 'http_status: HTTP 500' : input.error,
      lastStatusCode: input.code === undefined ? 500 : input.code,
      completedAt: status === 'failed' || status === 'succeeded' ? new Date(at.getTime() + 30_000) : null,
      updatedAt: new Date(at.getTime() + 30_000),
    },
  });
  return { id, eventId: event.id };
}

/** A later delivery of the same event to the same destination (what a replay creates). */
async function replayOf(original: { id: string; eventId: string }, status: 'failed' | 'succeeded' | 'pending', minutesAfter = 1) {
  const row = await db().delivery.findUniqueOrThrow({ where: { id: original.id } });
  const id = newId();
  const createdAt = new Date(row.createdAt.getTime() + minutesAfter * 60_000);
  await db().delivery.create({
    data: {
      id,
      eventId: row.eventId,
      sourceId: row.sourceId,
      destinationId: row.destinationId,
      status,
      createdAt,
      updatedAt: createdAt,
      nextAttemptAt: createdAt,
      completedAt: status === 'pending' ? null : createdAt,
      replayOfId: row.id,
      attemptCount: status === 'pending' ? 0 : 2,
      lastError: status === 'failed' ? 'http_status: HTTP 503' : null,
      lastStatusCode: status === 'failed' ? 503 : status === 'succeeded' ? 200 : null,
    },
  });
  return { id, eventId: row.eventId };
}

const fixtures: Record<string, { id: string; eventId: string }> = {};

beforeAll(async () => {
  stripe = (await createTestSource({ provider: 'none', slug: 'fg-stripe' })).source.id;
  github = (await createTestSource({ provider: 'none', slug: 'fg-github' })).source.id;
  billing = (await createTestDestination({ url: 'http://127.0.0.1:9/billing', data: { name: 'Billing API' } })).id;
  crm = (await createTestDestination({ url: 'http://127.0.0.1:9/crm', data: { name: 'CRM' } })).id;
  archive = (await createTestDestination({ url: 'http://127.0.0.1:9/archive', data: { name: 'Archive' } })).id;

  // Billing: five HTTP 500s (four from Stripe, one from GitHub), two 404s, one refused connection.
  for (let i = 0; i < 4; i++) fixtures[`b500-${i}`] = await delivery({ sourceId: stripe, destinationId: billing, minutesAgo: 100 - i * 10 });
  fixtures['b500-gh'] = await delivery({ sourceId: github, destinationId: billing, minutesAgo: 5, eventType: 'push' });
  fixtures['b404-0'] = await delivery({ sourceId: stripe, destinationId: billing, minutesAgo: 50, error: 'http_status: HTTP 404', code: 404 });
  fixtures['b404-1'] = await delivery({ sourceId: stripe, destinationId: billing, minutesAgo: 40, error: 'http_status: HTTP 404', code: 404 });
  fixtures['brefused'] = await delivery({
    sourceId: stripe,
    destinationId: billing,
    minutesAgo: 30,
    error: 'refused: connect ECONNREFUSED 127.0.0.1:9',
    code: null,
  });

  // CRM: two timeouts with the same message, one with another; one 500 from three days ago.
  fixtures['ctimeout-0'] = await delivery({ sourceId: stripe, destinationId: crm, minutesAgo: 20, error: 'timeout: Headers Timeout Error', code: null });
  fixtures['ctimeout-1'] = await delivery({ sourceId: github, destinationId: crm, minutesAgo: 10, error: 'timeout: Headers Timeout Error', code: null });
  fixtures['ctimeout-abort'] = await delivery({
    sourceId: stripe,
    destinationId: crm,
    minutesAgo: 15,
    error: 'timeout: This operation was aborted',
    code: null,
  });
  fixtures['c500-old'] = await delivery({ sourceId: stripe, destinationId: crm, minutesAgo: 3 * 24 * 60 });

  // Not in the queue: finished well, still under way, or failed but replayed since.
  await delivery({ sourceId: stripe, destinationId: billing, minutesAgo: 60, status: 'succeeded', error: null, code: 200 });
  await delivery({ sourceId: stripe, destinationId: billing, minutesAgo: 60, status: 'pending', error: 'http_status: HTTP 500', code: 500 });
  await delivery({ sourceId: stripe, destinationId: billing, minutesAgo: 60, status: 'cancelled', error: null, code: null });
  const replayedOk = await delivery({ sourceId: stripe, destinationId: archive, minutesAgo: 70 });
  await replayOf(replayedOk, 'succeeded');
  const replayedPending = await delivery({ sourceId: stripe, destinationId: archive, minutesAgo: 69 });
  await replayOf(replayedPending, 'pending');
  // …but a replay that failed again is in it, once, as itself (HTTP 503).
  const replayedFailed = await delivery({ sourceId: stripe, destinationId: archive, minutesAgo: 68 });
  fixtures['archive-replay-503'] = await replayOf(replayedFailed, 'failed');
  fixtures['archive-original'] = replayedFailed;
});

afterAll(async () => {
  await closeSql();
  await db().$disconnect();
});

const keyOf = (groups: Awaited<ReturnType<typeof listFailedGroups>>['groups'], destinationId: string, match: Partial<FailedGroupKey>) =>
  groups.find(
    (group) => group.key.destinationId === destinationId && Object.entries(match).every(([name, value]) => group.key[name as keyof FailedGroupKey] === value),
  );

describe('listFailedGroups', () => {
  it('groups failed deliveries by destination and error, largest first, with counts and times', async () => {
    const result = await listFailedGroups({});
    expect(result.total).toBe(13);
    expect(result.groupCount).toBe(7);
    expect(result.destinationCount).toBe(3);
    expect(result.groups.map((group) => group.count)).toEqual([...result.groups.map((group) => group.count)].sort((a, b) => b - a));

    const billing500 = keyOf(result.groups, billing, { errorKind: 'http_status', statusCode: 500 })!;
    expect(result.groups[0]).toEqual(billing500);
    expect(billing500).toMatchObject({
      key: { destinationId: billing, errorKind: 'http_status', statusCode: 500, messagePrefix: null },
      destination: { id: billing, name: 'Billing API', status: 'active' },
      count: 5,
      sourceCount: 2,
      sampleError: 'http_status: HTTP 500',
    });
    // The newest failure is the GitHub one (5 minutes ago, completed 30 s later); the oldest 100 minutes ago.
    expect(Math.abs(billing500.latestAt.getTime() - (minutesAgo(5).getTime() + 30_000))).toBeLessThan(5_000);
    expect(Math.abs(billing500.firstAt.getTime() - (minutesAgo(100).getTime() + 30_000))).toBeLessThan(5_000);

    expect(keyOf(result.groups, billing, { statusCode: 404 })?.count).toBe(2);
    expect(keyOf(result.groups, billing, { errorKind: 'refused' })).toMatchObject({
      count: 1,
      key: { statusCode: null, messagePrefix: 'connect ECONNREFUSED 127.0.0.1:9' },
    });
    // Timeouts with different messages are different groups; same message, one group.
    expect(keyOf(result.groups, crm, { errorKind: 'timeout', messagePrefix: 'Headers Timeout Error' })?.count).toBe(2);
    expect(keyOf(result.groups, crm, { errorKind: 'timeout', messagePrefix: 'This operation was aborted' })?.count).toBe(1);
    expect(keyOf(result.groups, crm, { statusCode: 500 })?.count).toBe(1);
    // The replayed failures of Archive are represented by their replays: only the one that failed again.
    const archiveGroups = result.groups.filter((group) => group.key.destinationId === archive);
    expect(archiveGroups).toHaveLength(1);
    expect(archiveGroups[0]).toMatchObject({ count: 1, key: { statusCode: 503 } });
  });

  it('filters by destination, source and creation time', async () => {
    const toBilling = await listFailedGroups({ destinationId: billing });
    expect(toBilling.total).toBe(8);
    expect(new Set(toBilling.groups.map((group) => group.key.destinationId))).toEqual(new Set([billing]));

    const fromGithub = await listFailedGroups({ sourceId: github });
    expect(fromGithub.total).toBe(2);
    expect(fromGithub.groups.map((group) => [group.destination.name, group.key.errorKind]).sort()).toEqual([
      ['Billing API', 'http_status'],
      ['CRM', 'timeout'],
    ]);

    const lastDay = await listFailedGroups({ from: minutesAgo(24 * 60) });
    expect(lastDay.total).toBe(12);
    expect(keyOf(lastDay.groups, crm, { statusCode: 500 })).toBeUndefined();

    const window = await listFailedGroups({ destinationId: billing, from: minutesAgo(95), to: minutesAgo(35) });
    // 500s at 90, 80, 70 min; 404s at 50, 40.
    expect(window.total).toBe(5);
  });

  it('counts exactly what a bulk replay of the same filter re-sends', async () => {
    for (const filter of [
      {},
      { destinationId: billing },
      { sourceId: github },
      { destinationId: crm, from: minutesAgo(24 * 60) },
      { destinationId: archive },
    ]) {
      const groups = await listFailedGroups(filter);
      expect(await countReplayMatches({ ...filter, status: 'failed' })).toBe(groups.total);
    }
  });

  it('answers an empty queue with zeros', async () => {
    const none = await listFailedGroups({ from: minutesAgo(1) });
    expect(none).toEqual({ groups: [], total: 0, groupCount: 0, destinationCount: 0 });
  });
});

describe('listFailedGroupDeliveries', () => {
  const billing500: FailedGroupKey = { destinationId: '', errorKind: 'http_status', statusCode: 500, messagePrefix: null };

  it('pages through one group newest first with keyset cursors, and nothing else', async () => {
    const key = { ...billing500, destinationId: billing };
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listFailedGroupDeliveries(key, {}, { cursor, limit: 2 });
      seen.push(...page.data.map((row) => row.id));
      for (const row of page.data) {
        expect(row.lastStatusCode).toBe(500);
        expect(row.attemptCount).toBe(3);
      }
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([fixtures['b500-gh']!.id, fixtures['b500-3']!.id, fixtures['b500-2']!.id, fixtures['b500-1']!.id, fixtures['b500-0']!.id]);

    const first = await listFailedGroupDeliveries(key, {}, { limit: 1 });
    expect(first.data[0]).toMatchObject({
      eventId: fixtures['b500-gh']!.eventId,
      eventType: 'push',
      source: { id: github, name: 'fg-github' },
      replayOfId: null,
    });
  });

  it('matches groups by message prefix and applies the filters', async () => {
    const timeouts = await listFailedGroupDeliveries(
      { destinationId: crm, errorKind: 'timeout', statusCode: null, messagePrefix: 'Headers Timeout Error' },
      {},
    );
    expect(timeouts.data.map((row) => row.id)).toEqual([fixtures['ctimeout-1']!.id, fixtures['ctimeout-0']!.id]);
    const fromStripe = await listFailedGroupDeliveries(
      { destinationId: crm, errorKind: 'timeout', statusCode: null, messagePrefix: 'Headers Timeout Error' },
      { sourceId: stripe },
    );
    expect(fromStripe.data.map((row) => row.id)).toEqual([fixtures['ctimeout-0']!.id]);
    const replayed = await listFailedGroupDeliveries({ destinationId: archive, errorKind: 'http_status', statusCode: 503, messagePrefix: null }, {});
    expect(replayed.data).toHaveLength(1);
    expect(replayed.data[0]).toMatchObject({ id: fixtures['archive-replay-503']!.id, replayOfId: fixtures['archive-original']!.id });
  });

  it('refuses a cursor it did not make', async () => {
    await expect(listFailedGroupDeliveries({ ...billing500, destinationId: billing }, {}, { cursor: 'bm9wZQ' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});

describe('replayFailedDeliveries', () => {
  it('replays what is still in the queue, skips the rest, and the queue shrinks', async () => {
    const before = await listFailedGroups({ destinationId: billing });
    const selection = [fixtures['b404-0']!.id, fixtures['b404-1']!.id, fixtures['archive-original']!.id, newId()];
    const result = await replayFailedDeliveries(selection, support, '203.0.113.9');

    expect(result.replayed.map((row) => row.deliveryId).sort()).toEqual([fixtures['b404-0']!.id, fixtures['b404-1']!.id].sort());
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { deliveryId: fixtures['archive-original']!.id, reason: 'Already replayed' },
        { deliveryId: selection[3], reason: expect.stringMatching(/no longer exists/i) },
      ]),
    );
    for (const row of result.replayed) {
      const created = await db().delivery.findUniqueOrThrow({ where: { id: row.newDeliveryId } });
      expect(created).toMatchObject({ status: 'pending', destinationId: billing, replayOfId: row.deliveryId, replayedBy: support.label, eventId: row.eventId });
    }
    const audits = await db().auditLog.findMany({ where: { action: 'event.replay', actorLabel: support.label } });
    expect(audits).toHaveLength(2);
    expect(audits[0]!.ip).toBe('203.0.113.9');

    const after = await listFailedGroups({ destinationId: billing });
    expect(after.total).toBe(before.total - 2);
    expect(keyOf(after.groups, billing, { statusCode: 404 })).toBeUndefined();

    // Selecting the same rows again (a stale page) sends nothing twice.
    const again = await replayFailedDeliveries([fixtures['b404-0']!.id], support);
    expect(again.replayed).toEqual([]);
    expect(again.skipped).toEqual([{ deliveryId: fixtures['b404-0']!.id, reason: 'Already replayed' }]);
  });

  it('reports a disabled destination and carries on with the rest', async () => {
    const disabled = await createTestDestination({ url: 'http://127.0.0.1:9/off', data: { name: 'Off', status: 'disabled' } });
    const off = await delivery({ sourceId: stripe, destinationId: disabled.id, minutesAgo: 2 });
    const result = await replayFailedDeliveries([off.id, fixtures['brefused']!.id], support);
    expect(result.replayed.map((row) => row.deliveryId)).toEqual([fixtures['brefused']!.id]);
    expect(result.skipped).toEqual([{ deliveryId: off.id, reason: expect.stringMatching(/disabled/) }]);
  });
});
