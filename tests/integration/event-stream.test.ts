/**
 * The event stream (GET /api/v1/events/stream) over a real HTTP server of the app's route
 * handlers (tests/support/api-server.ts), fed by real ingest (tests/support/ingest-server.ts):
 * live messages in the list's shape, the filters, resumption with Last-Event-ID with no gap and no
 * repeat (also when an earlier transaction commits after a later one), keep-alive comments, the
 * errors, and 200 idle streams with a bounded database load. docs/event-stream.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { tunables } from '@/lib/config/settings';
import { newId } from '@/lib/db/ids';
import { closeSql, sql } from '@/lib/db/sql';
import { EventStreamHub, eventStreamHub } from '@/lib/events/stream/event-stream-hub';
import { openEventStream } from '@/lib/events/stream/open-event-stream';
import { type RunningApiServer, startApiServer } from '../support/api-server';
import { createTestSource } from '../support/fixtures';
import { type RunningIngestServer, startIngestServer } from '../support/ingest-server';
import { openSse, type SseConnection } from '../support/sse';

let api: RunningApiServer;
let ingest: RunningIngestServer;
let key: string;
let source: { id: string; slug: string };
let other: { id: string; slug: string };
const open: SseConnection[] = [];

beforeAll(async () => {
  api = await startApiServer();
  ingest = await startIngestServer('lean server');
  key = (await issueApiKey({ name: 'stream', role: 'VIEWER' }, 'system')).key;
  source = (await createTestSource({ provider: 'none' })).source;
  other = (await createTestSource({ provider: 'none' })).source;
});

afterAll(async () => {
  for (const connection of open) connection.close();
  await api?.close();
  await ingest?.close();
  await closeSql();
});

async function stream(query = '', headers: Record<string, string> = {}): Promise<SseConnection> {
  const connection = await openSse(`${api.url}/api/v1/events/stream${query}`, { authorization: `Bearer ${key}`, ...headers });
  open.push(connection);
  return connection;
}

async function post(slug: string, payload: object): Promise<string> {
  const response = await fetch(ingest.ingestUrl(slug), { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

const ids = (connection: SseConnection) => connection.messages.map((message) => message.id);

/** Until the hub has no client left (a closed connection is noticed asynchronously). */
async function allClosed(hub = eventStreamHub()): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (hub.clientCount > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(hub.clientCount).toBe(0);
}

describe('GET /api/v1/events/stream', () => {
  it('sends each newly accepted event once, in the events list shape, with its id', async () => {
    const connection = await stream();
    expect(connection.status).toBe(200);
    expect(connection.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(connection.headers.get('cache-control')).toContain('no-cache');
    await connection.waitForComment('connected');

    const sent = [await post(source.slug, { type: 'order.created', n: 1 }), await post(other.slug, { type: 'user.created', n: 2 })];
    // Well before the hub's 5 s poll: ingest's NOTIFY woke it, although these sources have no route.
    const messages = await connection.waitForMessages(2, 3_000);
    expect(messages.map((message) => message.id).sort()).toEqual([...sent].sort());
    expect(messages.every((message) => message.event === 'event')).toBe(true);

    const item = JSON.parse(messages.find((message) => message.id === sent[0])!.data) as Record<string, unknown>;
    const list = (await (await fetch(`${api.url}/api/v1/events?sourceId=${source.id}&limit=1`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
      data: Record<string, unknown>[];
    };
    expect(item).toEqual(JSON.parse(JSON.stringify(list.data[0])));
    connection.close();
    await allClosed();
  });

  it("applies the list's filters: source, type prefix, and a payload search", async () => {
    const bySource = await stream(`?sourceId=${source.id}`);
    const byType = await stream('?eventType=invoice.*');
    const byPayload = await stream(`?q=${encodeURIComponent('customer.tier=gold')}`);
    for (const connection of [bySource, byType, byPayload]) await connection.waitForComment('connected');

    const a = await post(source.slug, { type: 'invoice.paid', customer: { tier: 'silver' } });
    const b = await post(other.slug, { type: 'invoice.sent', customer: { tier: 'gold' } });
    const c = await post(other.slug, { type: 'order.created', customer: { tier: 'gold' } });
    const marker = await post(source.slug, { type: 'invoice.marker', customer: { tier: 'gold' } });

    await bySource.waitForMessages(2);
    await byType.waitForMessages(3);
    await byPayload.waitForMessages(3);
    expect(ids(bySource)).toEqual([a, marker]);
    expect(ids(byType)).toEqual([a, b, marker]);
    expect(ids(byPayload)).toEqual([b, c, marker]);
    for (const connection of [bySource, byType, byPayload]) connection.close();
    await allClosed();
  });

  it('resumes after Last-Event-ID with what came meanwhile, exactly once, then goes on live', async () => {
    const first = await stream(`?sourceId=${source.id}`);
    await first.waitForComment('connected');
    const before = [await post(source.slug, { n: 'b1' }), await post(source.slug, { n: 'b2' })];
    await first.waitForMessages(2);
    first.close();

    const meanwhile = [];
    for (let i = 0; i < 5; i++) meanwhile.push(await post(source.slug, { n: `m${i}` }));
    await post(other.slug, { n: 'other source' });

    const resumed = await stream(`?sourceId=${source.id}`, { 'last-event-id': before[1]! });
    await resumed.waitForMessages(5);
    const live = await post(source.slug, { n: 'live' });
    await resumed.waitForMessages(6);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ids(resumed)).toEqual([...meanwhile, live]);
    resumed.close();
    await allClosed();
  });

  it('holds back an event until every earlier transaction has ended, so a resume cannot skip one that commits late', async () => {
    const connection = await stream(`?sourceId=${source.id}`);
    await connection.waitForComment('connected');
    const early = newId();
    let commitEarly!: () => void;
    const earlyCommitted = sql().begin(async (tx) => {
      await tx`
        INSERT INTO events (id, source_id, headers, body, size, verification, event_type)
        VALUES (${early}::uuid, ${source.id}::uuid, '{}'::jsonb, '\\x7b7d'::bytea, 2, 'unverified', 'held.early')`;
      await new Promise<void>((resolve) => (commitEarly = resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the early transaction has its id now
    const late = await post(source.slug, { n: 'late' }); // committed while the early one still runs

    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(connection.messages).toEqual([]);

    commitEarly();
    await earlyCommitted;
    await connection.waitForMessages(2);
    expect(ids(connection)).toEqual([early, late]);
    connection.close();
    await allClosed();
  });

  it('sends a comment at least every keep-alive interval while idle', async () => {
    const hub = new EventStreamHub(sql, { keepAliveMs: 150, pollMs: 5_000 });
    const response = await openEventStream({ filter: {}, lastEventId: null, hub });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const started = Date.now();
    while ((text.match(/: keep-alive/g) ?? []).length < 3) text += decoder.decode((await reader.read()).value);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(text.startsWith('retry: 2000\n: connected\n\n')).toBe(true);
    await reader.cancel();
    expect(hub.clientCount).toBe(0);
  });

  it('answers errors in the API shape before any stream starts', async () => {
    const wrongKey = await openSse(`${api.url}/api/v1/events/stream`, { authorization: 'Bearer hy_wrong' });
    expect(wrongKey.status).toBe(401);
    const badFilter = await stream('?status=lost');
    expect(badFilter.status).toBe(422);
    expect(JSON.parse(badFilter.text)).toMatchObject({ error: { code: expect.any(String) } });
    const badId = await stream('', { 'last-event-id': 'not-an-id' });
    expect(badId.status).toBe(422);
    const unknown = await stream('', { 'last-event-id': newId() });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error.message).toMatch(/resume/);
    await allClosed();
  });

  it('holds 200 idle streams with one reader: a few queries per poll interval, no connection per stream', async () => {
    const hub = eventStreamHub();
    const connections = async () =>
      Number((await sql()<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`)[0]!.n);
    const connectionsBefore = await connections();

    const streams = await Promise.all(Array.from({ length: 200 }, () => stream()));
    await Promise.all(streams.map((connection) => connection.waitForComment('connected')));
    expect(hub.clientCount).toBe(200);

    const queriesBefore = hub.queries;
    const idleMs = 6_000;
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const idleQueries = hub.queries - queriesBefore;
    // The poll (every 5 s by default) is the only thing that reads while nothing happens.
    expect(idleQueries).toBeLessThanOrEqual(3);
    // Opening 200 streams at once authenticates 200 requests at once, which may fill the
    // process's two pools; nothing holds a connection per stream.
    const connectionsOpen = await connections();
    const { pools } = tunables();
    expect(connectionsOpen).toBeLessThanOrEqual(connectionsBefore + pools.sql + pools.prisma + 1);

    const queriesBeforeEvent = hub.queries;
    const id = await post(source.slug, { n: 'to everyone' });
    await Promise.all(streams.map((connection) => connection.waitForMessages(1)));
    expect(streams.every((connection) => connection.messages[0]!.id === id)).toBe(true);
    const perEvent = hub.queries - queriesBeforeEvent;
    expect(perEvent).toBeLessThanOrEqual(4);
    console.info(
      `200 idle streams: ${idleQueries} queries in ${idleMs / 1000} s idle, ${connectionsOpen} database connections (${connectionsBefore} before); ` +
        `${perEvent} queries to send one event to all 200`,
    );

    for (const connection of streams) connection.close();
    await allClosed();
  });
});
