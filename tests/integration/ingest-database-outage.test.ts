/**
 * Durability: the database stops in the middle of a load. Every request that got a 2xx must have
 * its event in the database afterwards; every other request must have been told 503 with
 * Retry-After (or lost its connection), so that the provider retries it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { db } from '@/lib/db/prisma';
import { type StoppablePostgres, startStoppablePostgres } from '../support/stoppable-postgres';
import { createTestDestination, createTestRoute, createTestSource } from '../support/fixtures';
import { type RunningIngestServer, startIngestServer } from '../support/ingest-server';

let postgres: StoppablePostgres;
let server: RunningIngestServer;

beforeAll(async () => {
  postgres = await startStoppablePostgres('outage');
  server = await startIngestServer('lean server');
}, 120_000);

afterAll(async () => {
  await server?.close();
  await postgres?.dispose();
});

it('never answers 2xx for an event that is not stored', async () => {
  const { source } = await createTestSource({ provider: 'none' });
  const destination = await createTestDestination({ url: 'http://127.0.0.1:9/x' });
  await createTestRoute({ sourceId: source.id, destinationId: destination.id });

  const outcomes: { status: number; id?: string; retryAfter?: string | null }[] = [];
  let sent = 0;
  let running = true;
  const client = async () => {
    while (running) {
      const n = ++sent;
      try {
        const response = await fetch(server.ingestUrl(source.slug), { method: 'POST', body: JSON.stringify({ n }), signal: AbortSignal.timeout(10_000) });
        const body = (await response.json()) as { id?: string };
        outcomes.push({ status: response.status, id: body.id, retryAfter: response.headers.get('retry-after') });
      } catch {
        outcomes.push({ status: 0 });
      }
    }
  };
  const clients = Array.from({ length: 16 }, client);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await postgres.stop(); // in the middle of the load
  await new Promise((resolve) => setTimeout(resolve, 1500));
  running = false;
  await Promise.all(clients);

  await postgres.restart();
  const accepted = outcomes.filter((o) => o.status >= 200 && o.status < 300);
  const refused = outcomes.filter((o) => o.status === 503);
  expect(accepted.length).toBeGreaterThan(10);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((o) => o.retryAfter !== null)).toBe(true);
  // Nothing but 2xx, 503 or a dropped connection.
  expect(outcomes.filter((o) => o.status !== 0 && o.status !== 503 && (o.status < 200 || o.status >= 300))).toEqual([]);

  const ids = accepted.map((o) => o.id!);
  const stored = await db().event.count({ where: { id: { in: ids } } });
  expect(stored).toBe(ids.length);
  const withDeliveries = await db().delivery.count({ where: { eventId: { in: ids } } });
  expect(withDeliveries).toBe(ids.length);

  // And it recovers on its own once the database is back. The first request may still meet a
  // pooled connection that died with the old server (503 with Retry-After, as a provider's retry
  // expects); within seconds, without a restart, the events are accepted again.
  const deadline = Date.now() + 15_000;
  let after = 0;
  while (Date.now() < deadline) {
    after = (await fetch(server.ingestUrl(source.slug), { method: 'POST', body: '{"after":true}' })).status;
    if (after !== 503) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(after).toBe(202);
}, 120_000);
