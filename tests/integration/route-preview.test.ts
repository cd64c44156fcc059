/**
 * The route preview runs the rule exactly as the ingest path would (compileRoute over event type
 * and payload) against the source's last 50 events, and says which part ruled each miss out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { previewRoute, routePreviewSchema } from '@/lib/routes/route-preview';
import { createTestEvent, createTestSource } from '../support/fixtures';

let sourceId: string;
const ids: Record<string, string> = {};

afterAll(async () => {
  await db().$disconnect();
});

beforeAll(async () => {
  sourceId = (await createTestSource({ provider: 'none' })).source.id;
  const base = Date.now() - 60_000;
  const events: [name: string, type: string, body: unknown][] = [
    ['small-order', 'order.created', { data: { total: 40, currency: 'EUR' } }],
    ['big-order', 'order.created', { data: { total: 400, currency: 'EUR' } }],
    ['big-usd-item', 'order.item.added', { data: { total: 900, currency: 'USD' } }],
    ['customer', 'customer.deleted', { data: { total: 1000, currency: 'EUR' } }],
  ];
  for (const [index, [name, type, body]] of events.entries()) {
    ids[name] = (
      await createTestEvent({ sourceId, destinationIds: [], eventType: type, body: JSON.stringify(body), receivedAt: new Date(base + index * 1000) })
    ).id;
  }
});

describe('previewRoute', () => {
  it('matches event-type patterns and payload filters as the ingest path does, newest first', async () => {
    const preview = await previewRoute(
      routePreviewSchema.parse({ sourceId, eventTypes: ['order.*'], filter: { data: { total: { $gte: 100 }, currency: { $in: ['EUR', 'USD'] } } } }),
    );
    expect(preview.total).toBe(4);
    expect(preview.matched).toBe(2);
    expect(preview.events.map((event) => [event.id, event.matched, event.missedBy])).toEqual([
      [ids.customer, false, 'event_type'],
      [ids['big-usd-item'], true, null],
      [ids['big-order'], true, null],
      [ids['small-order'], false, 'filter'],
    ]);
  });

  it('matches everything without patterns or filter, and nothing typed for an exact pattern that differs', async () => {
    expect((await previewRoute({ sourceId })).matched).toBe(4);
    const exact = await previewRoute({ sourceId, eventTypes: ['order.created'], filter: null });
    expect(
      exact.events
        .filter((event) => event.matched)
        .map((event) => event.id)
        .sort(),
    ).toEqual([ids['small-order'], ids['big-order']].sort());
  });

  it('looks at the last 50 events only', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const base = Date.now() - 600_000;
    for (let i = 0; i < 55; i++)
      await createTestEvent({ sourceId: source.id, destinationIds: [], eventType: i < 5 ? 'old.event' : 'new.event', receivedAt: new Date(base + i * 1000) });
    const preview = await previewRoute({ sourceId: source.id, eventTypes: ['old.*'] });
    expect(preview.total).toBe(50);
    expect(preview.matched).toBe(0);
  });

  it('routes form-encoded bodies on their fields, like the ingest path', async () => {
    const { source } = await createTestSource({ provider: 'none' });
    const event = await createTestEvent({ sourceId: source.id, destinationIds: [], eventType: 'message.received', body: 'From=%2B15551234&Body=hello' });
    await db().event.update({ where: { id: event.id }, data: { contentType: 'application/x-www-form-urlencoded' } });
    const preview = await previewRoute({ sourceId: source.id, filter: { From: { $startsWith: '+1555' } } });
    expect(preview.events).toEqual([expect.objectContaining({ id: event.id, matched: true })]);
  });

  it('refuses what a route would refuse, before reading anything', () => {
    expect(routePreviewSchema.safeParse({ sourceId, filter: { data: { $regex: 'x' } } }).success).toBe(false);
    expect(routePreviewSchema.safeParse({ sourceId, eventTypes: [''] }).success).toBe(false);
    expect(routePreviewSchema.safeParse({ sourceId: 'nope' }).success).toBe(false);
  });

  it('answers an empty preview for a source without events', async () => {
    expect(await previewRoute({ sourceId: newId(), eventTypes: ['*'] })).toEqual({ events: [], matched: 0, total: 0 });
  });
});
