// The event stream's in-memory filter decisions and filter keys (lib/events/stream/stream-filter.ts).
import { describe, expect, it } from 'vitest';
import type { EventListRow } from '@/lib/events/list-events';
import { filterKey, matchesItem, needsQuery } from '@/lib/events/stream/stream-filter';
import { comparePositions } from '@/lib/events/stream/stream-position';

const item = (over: Partial<EventListRow> = {}): EventListRow => ({
  id: '01939c1e-0000-7000-8000-000000000001',
  source: { id: '5b2e0000-0000-4000-8000-000000000001', slug: 'stripe', name: 'Stripe' },
  eventType: 'invoice.paid',
  dedupKey: 'evt_1',
  receivedAt: new Date('2026-12-07T12:00:00Z'),
  size: 2,
  contentType: 'application/json',
  verification: 'verified',
  deliveries: { total: 0, byStatus: {} },
  destinations: [],
  ...over,
});

describe('the stream filter', () => {
  it('decides source, type (exact, prefix, any) and time on the item itself', () => {
    expect(matchesItem({}, item())).toBe(true);
    expect(matchesItem({ sourceId: '5b2e0000-0000-4000-8000-000000000001' }, item())).toBe(true);
    expect(matchesItem({ sourceId: '5b2e0000-0000-4000-8000-000000000002' }, item())).toBe(false);
    expect(matchesItem({ eventType: 'invoice.paid' }, item())).toBe(true);
    expect(matchesItem({ eventType: 'invoice.sent' }, item())).toBe(false);
    expect(matchesItem({ eventType: 'invoice.*' }, item())).toBe(true);
    expect(matchesItem({ eventType: 'order.*' }, item())).toBe(false);
    expect(matchesItem({ eventType: 'invoice.*' }, item({ eventType: null }))).toBe(false);
    expect(matchesItem({ eventType: '*' }, item({ eventType: null }))).toBe(true);
    expect(matchesItem({ from: new Date('2026-12-07T12:00:00Z') }, item())).toBe(true); // inclusive
    expect(matchesItem({ to: new Date('2026-12-07T12:00:00Z') }, item())).toBe(false); // exclusive
  });

  it('asks the database only for delivery and payload conditions', () => {
    expect(needsQuery({ sourceId: 'x', eventType: 'a.*' })).toBe(false);
    expect(needsQuery({ destinationId: 'x' })).toBe(true);
    expect(needsQuery({ status: 'failed' })).toBe(true);
    expect(needsQuery({ q: 'a=1' })).toBe(true);
  });

  it('gives one key to one filter, whatever the order of its fields', () => {
    expect(filterKey({ sourceId: 'a', eventType: 'b' })).toBe(filterKey({ eventType: 'b', sourceId: 'a' }));
    expect(filterKey({ sourceId: 'a' })).not.toBe(filterKey({ sourceId: 'b' }));
    expect(filterKey({ from: new Date('2026-01-01T00:00:00Z') })).toBe(filterKey({ from: new Date('2026-01-01T00:00:00.000Z') }));
  });

  it('orders positions by transaction, then id', () => {
    const a = { txid: 10n, id: '01939c1e-0000-7000-8000-00000000000f' };
    const b = { txid: 11n, id: '01939c1e-0000-7000-8000-000000000001' };
    expect(comparePositions(a, b)).toBe(-1);
    expect(comparePositions(b, a)).toBe(1);
    expect(comparePositions(a, { ...a })).toBe(0);
    expect(comparePositions(b, { txid: 11n, id: '01939c1e-0000-7000-8000-000000000002' })).toBe(-1);
  });
});
