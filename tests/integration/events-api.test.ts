/**
 * The events explorer's API: filters, keyset pagination, payload search (indexed path=value and
 * bounded text), one event with everything support needs, and the deliveries list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getDelivery } from '@/app/api/v1/deliveries/[id]/route';
import { GET as listDeliveriesRoute } from '@/app/api/v1/deliveries/route';
import { GET as getEvent } from '@/app/api/v1/events/[id]/route';
import { GET as listEventsRoute } from '@/app/api/v1/events/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { newId } from '@/lib/db/ids';
import { listDeliveries } from '@/lib/deliveries/list-deliveries';
import { listDeliveriesQuerySchema, listEventsQuerySchema } from '@/lib/list-filters/list-filter.schema';
import { listEvents } from '@/lib/events/list-events';
import { db } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';

type Handler = (request: Request, segment?: { params: Promise<any> }) => Promise<Response>;

let viewer: string;

async function call(handler: Handler, options: { key?: string | null; query?: Record<string, string | number | undefined>; id?: string } = {}) {
  const headers = new Headers();
  const key = options.key === undefined ? viewer : options.key;
  if (key) headers.set('authorization', `Bearer ${key}`);
  const url = new URL('http://localhost/api/v1/x');
  for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
  const response = await handler(new Request(url, { headers }), options.id === undefined ? undefined : { params: Promise.resolve({ id: options.id }) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
}

/** Every page of a list, following nextCursor. */
async function allPages(handler: Handler, query: Record<string, string | number | undefined>) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await call(handler, { query: { ...query, cursor } });
    expect(page.status).toBe(200);
    ids.push(...page.body.data.map((row: { id: string }) => row.id));
    cursor = page.body.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < 100);
  return { ids, pages };
}

/** The ids of every page of a list called directly (lib/…), following nextCursor. */
async function idsOfAllPages(page: (cursor: string | undefined) => Promise<{ data: { id: string }[]; nextCursor: string | null }>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page(cursor);
    ids.push(...answer.data.map((row) => row.id));
    cursor = answer.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

let sourceA: string;
let sourceB: string;
let dest1: { id: string; name: string };
let dest2: { id: string; name: string };
let secretId: string;
/** Events of source A, newest first, as the list should return them. */
let expectedA: string[] = [];
/** Event ids of source A by their n. */
const eventN: string[] = [];

beforeAll(async () => {
  viewer = (await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system')).key;
  const a = await createTestSource({ provider: 'stripe', secrets: [{ value: 'whsec_events_api_test' }] });
  sourceA = a.source.id;
  secretId = a.secrets[0]!.id;
  await db().secret.update({ where: { id: secretId }, data: { label: 'primary' } });
  sourceB = (await createTestSource({ provider: 'none' })).source.id;
  // Disabled, so no worker sends these and their pending deliveries read pending (a paused destination's read paused).
  dest1 = await createTestDestination({ url: 'http://127.0.0.1:9/one', data: { status: 'disabled' } });
  dest2 = await createTestDestination({ url: 'http://127.0.0.1:9/two', data: { status: 'disabled' } });

  // 30 events of A; ten share one received_at, so the cursor's id tiebreak is exercised.
  const tie = minutesAgo(30);
  for (let i = 0; i < 30; i++) {
    const event = await createTestEvent({
      sourceId: sourceA,
      destinationIds: i % 3 === 0 ? [dest1.id, dest2.id] : [dest1.id],
      eventType: i % 2 === 0 ? 'order.created' : 'customer.updated',
      receivedAt: i < 10 ? tie : minutesAgo(60 - i),
      body: JSON.stringify({
        n: i,
        data: { object: { id: `pi_${i}` }, amount: i === 7 ? 100 : i === 8 ? '100' : i },
        items: [{ sku: 'A' }, { sku: i === 5 ? 'B' : 'C' }],
      }),
    });
    eventN.push(event.id);
    if (i % 5 === 0) await db().delivery.updateMany({ where: { eventId: event.id, destinationId: dest1.id }, data: { status: 'failed' } });
  }
  const rows = await db().event.findMany({ where: { sourceId: sourceA }, orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }], select: { id: true } });
  expectedA = rows.map((row) => row.id);
  // Source B: one event with a needle in its body, one with the needle two days ago, one not JSON.
  await createTestEvent({ sourceId: sourceB, destinationIds: [dest2.id], body: '{"note":"find the NEEDLE-42 here"}', eventType: 'order.refunded' });
  await createTestEvent({ sourceId: sourceB, destinationIds: [dest2.id], body: '{"note":"old NEEDLE-42"}', receivedAt: minutesAgo(2 * 24 * 60) });
  await createTestEvent({ sourceId: sourceB, destinationIds: [], body: 'plain text NEEDLE-42 body', eventType: 'ordered' });
});

afterAll(async () => {
  await closeSql();
  await db().$disconnect();
});

describe('GET /api/v1/events', () => {
  it('needs a key', async () => {
    expect((await call(listEventsRoute, { key: null })).status).toBe(401);
  });

  it('pages newest first with a cursor, without duplicates or gaps, even across equal timestamps', async () => {
    const { ids, pages } = await allPages(listEventsRoute, { sourceId: sourceA, limit: 7 });
    expect(pages).toBe(5);
    expect(ids).toEqual(expectedA);
    const first = await call(listEventsRoute, { query: { sourceId: sourceA, limit: 30 } });
    expect(first.body.nextCursor).toBeNull();
  });

  it('describes each row: source, type, time, size, verification and a delivery summary', async () => {
    const page = await call(listEventsRoute, { query: { sourceId: sourceA, limit: 50 } });
    const row = page.body.data.find((r: any) => r.deliveries.total === 2 && r.deliveries.byStatus.failed === 1);
    expect(row).toMatchObject({
      source: { id: sourceA },
      eventType: 'order.created',
      verification: 'unverified',
      deliveries: { total: 2, byStatus: { failed: 1, pending: 1 } },
    });
    expect(row.size).toBeGreaterThan(10);
    expect(row.destinations.map((d: any) => [d.id, d.status]).sort()).toEqual(
      [
        [dest1.id, 'failed'],
        [dest2.id, 'pending'],
      ].sort(),
    );
  });

  it('reports a pending delivery an open circuit holds with its next probe (status stays pending), and none for a closed circuit', async () => {
    const source = (await createTestSource({ provider: 'none' })).source.id;
    const nextProbeAt = new Date(Date.now() + 10 * 60_000);
    // Active with an open circuit: the worker sends nothing to it before the probe time.
    const open = await createTestDestination({
      url: 'http://127.0.0.1:9/open',
      data: { circuitState: 'open', circuitOpenedAt: new Date(), circuitRetryAt: nextProbeAt },
    });
    const closed = await createTestDestination({ url: 'http://127.0.0.1:9/closed', data: { status: 'disabled' } });
    const event = await createTestEvent({ sourceId: source, destinationIds: [open.id, closed.id] });

    const page = await call(listEventsRoute, { query: { sourceId: source } });
    expect(page.status).toBe(200);
    const row = page.body.data.find((r: any) => r.id === event.id);
    expect(row.deliveries.byStatus).toEqual({ pending: 2 });
    expect(Object.fromEntries(row.destinations.map((d: any) => [d.id, [d.status, d.heldByCircuit]]))).toEqual({
      [open.id]: ['pending', { nextProbeAt: nextProbeAt.toISOString() }],
      [closed.id]: ['pending', null],
    });
    const direct = await listEvents(listEventsQuerySchema.parse({ sourceId: source }));
    expect(direct.data[0]!.destinations.find((d) => d.id === open.id)!.heldByCircuit).toEqual({ nextProbeAt });
  });

  it('filters by destination and delivery status (through deliveries), type, and time', async () => {
    const failed = await allPages(listEventsRoute, { sourceId: sourceA, status: 'failed', limit: 4 });
    expect(failed.ids).toHaveLength(6); // i = 0, 5, 10, 15, 20, 25
    const toDest2 = await allPages(listEventsRoute, { sourceId: sourceA, destinationId: dest2.id });
    expect(toDest2.ids).toHaveLength(10);
    const failedToDest2 = await call(listEventsRoute, { query: { destinationId: dest2.id, status: 'failed' } });
    expect(failedToDest2.body.data).toHaveLength(0);

    const created = await allPages(listEventsRoute, { sourceId: sourceA, eventType: 'order.created' });
    expect(created.ids).toHaveLength(15);
    const orderPrefix = await allPages(listEventsRoute, { eventType: 'order.*' });
    expect(orderPrefix.ids).toHaveLength(16); // 15 order.created + order.refunded, not "ordered"

    // Events 0–9 arrived 30 min ago, event i ≥ 10 arrived (60 − i) min ago.
    const recent = await allPages(listEventsRoute, { sourceId: sourceA, from: minutesAgo(32.5).toISOString() });
    expect(recent.ids).toEqual(expectedA.slice(0, 12)); // events 29, 28 and the ten at 30 min
    const window = await allPages(listEventsRoute, { sourceId: sourceA, from: minutesAgo(30.5).toISOString(), to: minutesAgo(29.5).toISOString() });
    expect(window.ids).toHaveLength(10);
  });

  it('finds the first page of a status filter from the deliveries, exactly as walking the events would', async () => {
    const c = (await createTestSource({ provider: 'none' })).source.id;
    const d3 = await createTestDestination({ url: 'http://127.0.0.1:9/three', data: { status: 'disabled' } });
    const d4 = await createTestDestination({ url: 'http://127.0.0.1:9/four', data: { status: 'disabled' } });
    // 14 events over the last 20 minutes; every third one failed (to both destinations when it went to both).
    for (let i = 0; i < 14; i++) {
      const event = await createTestEvent({ sourceId: c, destinationIds: i % 4 === 0 ? [d3.id, d4.id] : [d3.id], receivedAt: minutesAgo(20 - i) });
      if (i % 3 === 0) await db().delivery.updateMany({ where: { eventId: event.id }, data: { status: 'failed' } });
    }
    // An event of two days ago replayed just now: its new delivery failed too (created long after the event).
    const old = await createTestEvent({ sourceId: c, destinationIds: [d3.id], receivedAt: minutesAgo(2 * 24 * 60) });
    await db().delivery.create({
      data: { id: newId(), eventId: old.id, sourceId: c, destinationId: d4.id, status: 'failed', replayOfId: old.deliveries[0]!.id, createdAt: new Date() },
    });

    for (const status of ['failed', 'pending'] as const) {
      for (const scope of [{ sourceId: c }, { destinationId: d3.id }, { destinationId: d4.id }, { sourceId: c, destinationId: d4.id }, {}] as Record<
        string,
        string
      >[]) {
        const expected = await db().event.findMany({
          where: {
            ...(scope.sourceId ? { sourceId: scope.sourceId } : {}),
            deliveries: { some: { status, ...(scope.destinationId ? { destinationId: scope.destinationId } : {}) } },
          },
          orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
          select: { id: true },
        });
        expect(expected.length).toBeGreaterThan(0);
        for (const limit of [1, 2, 3, 50]) {
          expect((await allPages(listEventsRoute, { ...scope, status, limit })).ids, `${status} ${JSON.stringify(scope)} limit ${limit}`).toEqual(
            expected.map((row) => row.id),
          );
        }
      }
    }
  });

  it('searches payloads by JSON path through the GIN index', async () => {
    const byId = await call(listEventsRoute, { query: { q: 'data.object.id=pi_12' } });
    expect(byId.body.data).toHaveLength(1);
    expect(byId.body.data[0].id).toBe(eventN[12]);

    // An unquoted number matches the number and its string spelling; a quoted one only the string.
    expect((await call(listEventsRoute, { query: { q: 'data.amount=100' } })).body.data).toHaveLength(2);
    expect((await call(listEventsRoute, { query: { q: 'data.amount="100"' } })).body.data).toHaveLength(1);
    // An array index is exact: items[1].sku=B is event 5 only; items[0].sku=B matches none.
    expect((await call(listEventsRoute, { query: { q: 'items[1].sku=B' } })).body.data.map((row: any) => row.id)).toEqual([eventN[5]]);
    expect((await call(listEventsRoute, { query: { q: 'items[0].sku=B' } })).body.data).toHaveLength(0);
    expect((await call(listEventsRoute, { query: { q: 'n=3', sourceId: sourceA } })).body.data).toHaveLength(1);
  });

  it('gives the same pages for a path search however it goes on after testing the newest events', async () => {
    // SEARCH_PROBE_ROWS is 1,000: with a handful of events the probe sees everything. Smaller
    // probes make the list go on by walking (values most events hold) or through the GIN index (rare ones).
    const pages = (query: Record<string, string | number>, searchProbeRows: number) =>
      idsOfAllPages((cursor) => listEvents(listEventsQuerySchema.parse({ ...query, cursor }), { searchProbeRows }));
    await db().$executeRaw`ANALYZE events`; // the choice weighs the matches seen against the table's size
    const common = 'items[0].sku=A'; // all 30 events of A
    expect(await pages({ q: common, limit: 7 }, 1000)).toEqual(expectedA);
    for (const q of [common, 'items[1].sku=C', 'data.amount=100', 'data.object.id=pi_12', 'n=3', 'data.object.id=none']) {
      for (const scope of [{}, { sourceId: sourceA }, { status: 'failed' }] as Record<string, string>[]) {
        for (const limit of [2, 5]) {
          const expected = await pages({ q, ...scope, limit }, 1000);
          for (const probe of [1, 2, 4])
            expect(await pages({ q, ...scope, limit }, probe), `${q} ${JSON.stringify(scope)} limit ${limit} probe ${probe}`).toEqual(expected);
        }
      }
    }
  });

  it('searches body text over a bounded window (last 24 h unless from/to say otherwise)', async () => {
    const recent = await call(listEventsRoute, { query: { q: 'NEEDLE-42' } });
    expect(recent.status).toBe(200);
    expect(recent.body.data).toHaveLength(2); // the JSON one and the plain-text one; the old one is outside the day
    expect(recent.body.searchWindow).toBeDefined();
    const older = await call(listEventsRoute, { query: { q: 'NEEDLE-42', from: minutesAgo(3 * 24 * 60).toISOString() } });
    expect(older.body.data).toHaveLength(3);
    // Quoted: text, even though it looks like path=value.
    expect((await call(listEventsRoute, { query: { q: '"note":"old' } })).status).toBe(200);
    const wide = await call(listEventsRoute, { query: { q: 'NEEDLE-42', from: minutesAgo(30 * 24 * 60).toISOString() } });
    expect(wide.status).toBe(422);
    expect(wide.body.error.message).toMatch(/at most 7 days/);
  });

  it('refuses bad input with 422', async () => {
    for (const query of [
      { limit: 201 },
      { limit: 0 },
      { cursor: 'not-a-cursor' },
      { status: 'done' },
      { sourceId: 'nope' },
      { from: 'yesterday' },
      { eventType: 'order.*.created' },
      { unknown: 'x' },
      { from: minutesAgo(1).toISOString(), to: minutesAgo(2).toISOString() },
    ]) {
      const answer = await call(listEventsRoute, { query });
      expect(answer.status, JSON.stringify(query)).toBe(422);
      expect(answer.body.error.code).toBe('invalid_input');
    }
  });
});

describe('GET /api/v1/events/{id}', () => {
  it('returns headers, body, payload, the matched secret (hint only), deliveries with attempts and replay links', async () => {
    const event = await createTestEvent({
      sourceId: sourceA,
      destinationIds: [dest1.id],
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' },
    });
    await db().event.update({ where: { id: event.id }, data: { verification: 'verified', matchedSecretId: secretId } });
    const original = event.deliveries[0]!;
    const t0 = Date.now() - 10_000;
    await db().attempt.createMany({
      data: [
        {
          id: newId(),
          deliveryId: original.id,
          attemptNumber: 2,
          startedAt: new Date(t0 + 2000),
          durationMs: 12,
          responseStatus: 200,
          responseHeaders: { 'x-ok': '1' },
          responseBody: new Uint8Array(Buffer.from('x'.repeat(10_000))),
        },
        {
          id: newId(),
          deliveryId: original.id,
          attemptNumber: 1,
          startedAt: new Date(t0),
          durationMs: 30_000,
          errorKind: 'timeout',
          errorMessage: 'timed out after 30000 ms',
        },
      ],
    });
    const replay = await db().delivery.create({
      data: { id: newId(), eventId: event.id, sourceId: sourceA, destinationId: dest1.id, replayOfId: original.id, replayedBy: 'support@example.com' },
    });

    const answer = await call(getEvent, { id: event.id });
    expect(answer.status).toBe(200);
    const body = answer.body;
    expect(body).toMatchObject({
      id: event.id,
      source: { id: sourceA },
      headers: { 'stripe-signature': 't=1,v1=x' },
      body: { encoding: 'utf8', truncated: false },
      payload: { type: 'test.event' },
      verification: { status: 'verified', matchedSecret: { id: secretId, label: 'primary' } },
    });
    expect(body.verification.matchedSecret.hint).toMatch(/••/);
    expect(JSON.stringify(body)).not.toContain('whsec_events_api_test');
    expect(JSON.parse(body.body.data)).toEqual({ id: `evt_${event.id}`, type: 'test.event' });
    expect(body.deliveries).toHaveLength(2);
    const [first, second] = body.deliveries;
    expect(first).toMatchObject({
      id: original.id,
      destination: { id: dest1.id, name: dest1.name },
      replays: [{ id: replay.id, replayedBy: 'support@example.com' }],
    });
    expect(first.attempts.map((a: any) => [a.attemptNumber, a.errorKind, a.responseStatus])).toEqual([
      [1, 'timeout', null],
      [2, null, 200],
    ]);
    expect(first.attempts[1].responseBody).toMatchObject({ encoding: 'utf8', size: 10_000, truncated: true });
    expect(first.attempts[1].responseBody.data).toHaveLength(4096);
    expect(second).toMatchObject({ id: replay.id, replayOf: original.id, replayedBy: 'support@example.com' });

    const delivery = await call(getDelivery, { id: original.id });
    expect(delivery.status).toBe(200);
    expect(delivery.body).toMatchObject({ id: original.id, event: { id: event.id, source: { id: sourceA } } });
    expect(delivery.body.attempts[1].responseBody).toMatchObject({ size: 10_000, truncated: false });
  });

  it('shows a body that is not UTF-8 as base64', async () => {
    const event = await createTestEvent({ sourceId: sourceB, destinationIds: [] });
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    await db().event.update({ where: { id: event.id }, data: { body: new Uint8Array(bytes), payload: undefined } });
    const answer = await call(getEvent, { id: event.id });
    expect(answer.body.body).toEqual({ encoding: 'base64', data: bytes.toString('base64'), size: 4, truncated: false });
  });

  it('answers 404 for unknown ids and ids that are not UUIDs', async () => {
    expect((await call(getEvent, { id: newId() })).status).toBe(404);
    expect((await call(getEvent, { id: 'evt_123' })).status).toBe(404);
    expect((await call(getDelivery, { id: newId() })).status).toBe(404);
    expect((await call(getDelivery, { id: '42' })).status).toBe(404);
  });
});

describe('GET /api/v1/deliveries', () => {
  it('pages newest first with the same filters, each row with its event and destination', async () => {
    const all = await allPages(listDeliveriesRoute, { sourceId: sourceA, destinationId: dest1.id, limit: 8 });
    const expected = await db().delivery.findMany({
      where: { sourceId: sourceA, destinationId: dest1.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true },
    });
    expect(all.ids).toEqual(expected.map((row) => row.id));

    const failed = await call(listDeliveriesRoute, { query: { sourceId: sourceA, status: 'failed', eventType: 'order.*' } });
    expect(failed.body.data.length).toBeGreaterThan(0);
    for (const row of failed.body.data) {
      expect(row).toMatchObject({
        status: 'failed',
        destination: { id: dest1.id, name: dest1.name },
        source: { id: sourceA },
        event: { eventType: 'order.created' },
      });
    }
    const byPayload = await call(listDeliveriesRoute, { query: { q: 'data.object.id=pi_3' } });
    expect(byPayload.body.data).toHaveLength(2); // event 3 went to both destinations
  });

  it('gives the same pages for a path search however it goes on after testing the newest deliveries', async () => {
    // As for events: with a handful of deliveries a probe of 1,000 sees them all; smaller probes
    // make the list go on by walking, or through the GIN index and deliveries (event_id, status).
    const pages = (query: Record<string, string | number>, searchProbeRows: number) =>
      idsOfAllPages((cursor) => listDeliveries(listDeliveriesQuerySchema.parse({ ...query, cursor }), { searchProbeRows }));
    await db().$executeRaw`ANALYZE events`;
    await db().$executeRaw`ANALYZE deliveries`;
    const skuA = await db().$queryRaw<{ id: string }[]>`
      SELECT d.id::text FROM deliveries d JOIN events e ON e.id = d.event_id
      WHERE e.payload #>> '{items,0,sku}' = 'A' ORDER BY d.created_at DESC, d.id DESC`;
    expect(skuA.length).toBeGreaterThanOrEqual(40); // source A's 30 events, every third to both destinations
    expect(await pages({ q: 'items[0].sku=A', limit: 7 }, 3)).toEqual(skuA.map((row) => row.id));
    expect(await pages({ q: 'data.object.id=pi_12', limit: 1 }, 1)).toEqual(
      (await db().delivery.findMany({ where: { eventId: eventN[12] }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } })).map(
        (row) => row.id,
      ),
    );
    for (const q of ['items[0].sku=A', 'items[1].sku=C', 'data.amount=100', 'data.object.id=pi_12', 'n=3', 'data.object.id=none']) {
      for (const scope of [{}, { sourceId: sourceA }, { status: 'failed' }, { destinationId: dest2.id }] as Record<string, string>[]) {
        for (const limit of [2, 5]) {
          const expected = await pages({ q, ...scope, limit }, 1000);
          for (const probe of [1, 2, 4])
            expect(await pages({ q, ...scope, limit }, probe), `${q} ${JSON.stringify(scope)} limit ${limit} probe ${probe}`).toEqual(expected);
        }
      }
    }
  });

  it('shows which delivery blocks a waiting one with the same ordering key', async () => {
    const destination = await createTestDestination({ url: 'http://127.0.0.1:9/ordered', data: { status: 'paused', orderingKey: 'key' } });
    const head = await createTestEvent({ sourceId: sourceB, destinationIds: [destination.id], orderingKey: 'cus_1', receivedAt: minutesAgo(3) });
    const middle = await createTestEvent({ sourceId: sourceB, destinationIds: [destination.id], orderingKey: 'cus_1', receivedAt: minutesAgo(2) });
    const tail = await createTestEvent({ sourceId: sourceB, destinationIds: [destination.id], orderingKey: 'cus_1', receivedAt: minutesAgo(1) });
    const other = await createTestEvent({ sourceId: sourceB, destinationIds: [destination.id], orderingKey: 'cus_2', receivedAt: minutesAgo(1) });
    const page = await call(listDeliveriesRoute, { query: { destinationId: destination.id } });
    const blockedBy = Object.fromEntries(page.body.data.map((row: any) => [row.event.id, row.blockedBy]));
    const headId = head.deliveries[0]!.id;
    expect(blockedBy).toEqual({ [head.id]: null, [middle.id]: headId, [tail.id]: headId, [other.id]: null });

    // A failed head no longer blocks (as in the worker's claim).
    await db().delivery.update({ where: { id: headId }, data: { status: 'failed' } });
    const after = await call(listDeliveriesRoute, { query: { destinationId: destination.id } });
    const tailRow = after.body.data.find((row: any) => row.event.id === tail.id);
    expect(tailRow.blockedBy).toBe(middle.deliveries[0]!.id);
  });
});
