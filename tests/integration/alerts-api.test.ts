import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as acknowledge } from '@/app/api/v1/alerts/[id]/acknowledge/route';
import { POST as resolve } from '@/app/api/v1/alerts/[id]/resolve/route';
import { GET as listAlertsRoute } from '@/app/api/v1/alerts/route';
import { countAlertsByStatus } from '@/lib/alerts/list-alerts';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { db, disconnectDb } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { raiseAlert } from '@/lib/alerts/raise-alert';
import { createTestDestination } from '../support/fixtures';

type Handler = (request: Request, segment?: { params: Promise<any> }) => Promise<Response>;

async function call(handler: Handler, options: { key?: string | null; method?: string; id?: string; query?: string } = {}) {
  const headers = new Headers();
  if (options.key) headers.set('authorization', `Bearer ${options.key}`);
  const request = new Request(`http://localhost/api/v1/alerts${options.query ?? ''}`, { method: options.method ?? 'GET', headers });
  const response = await handler(request, options.id === undefined ? undefined : { params: Promise.resolve({ id: options.id }) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
}

let admin: string;
let support: string;
let viewer: string;
let destinationId: string;

beforeAll(async () => {
  admin = (await issueApiKey({ name: 'admin', role: 'ADMIN' }, 'system')).key;
  support = (await issueApiKey({ name: 'support', role: 'SUPPORT' }, 'system')).key;
  viewer = (await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system')).key;
  destinationId = (await createTestDestination({ url: 'http://127.0.0.1:9/', data: { name: 'Orders API' } })).id;
});

afterAll(async () => {
  await disconnectDb();
  await closeSql();
});

async function openAlert(kind: 'delivery_exhausted' | 'destination_circuit_open' = 'delivery_exhausted') {
  await raiseAlert(sql(), { kind, destinationId, message: `${kind} on Orders API` });
  return db().alert.findFirstOrThrow({ where: { destinationId, kind, status: { in: ['open', 'acknowledged'] } } });
}

describe('alerts API', () => {
  it('lists alerts by status for every role, with destination and count', async () => {
    const alert = await openAlert();
    await raiseAlert(sql(), { kind: 'delivery_exhausted', destinationId, message: 'again' }); // same open alert, count 2
    expect((await call(listAlertsRoute, { key: null })).status).toBe(401);
    const open = await call(listAlertsRoute, { key: viewer });
    expect(open.status).toBe(200);
    expect(open.body.data).toEqual([
      expect.objectContaining({
        id: alert.id,
        kind: 'delivery_exhausted',
        status: 'open',
        count: 2,
        message: 'again',
        destination: { id: destinationId, name: 'Orders API' },
      }),
    ]);
    expect((await call(listAlertsRoute, { key: viewer, query: '?status=resolved' })).body.data).toEqual([]);
    expect((await call(listAlertsRoute, { key: viewer, query: '?status=nope' })).status).toBe(422);
    expect((await call(listAlertsRoute, { key: viewer, query: '?cursor=garbage' })).status).toBe(422);
  });

  it('lets SUPPORT and ADMIN acknowledge and resolve, not VIEWER; each change audited once', async () => {
    const alert = await openAlert('destination_circuit_open');
    expect((await call(acknowledge, { key: viewer, method: 'POST', id: alert.id })).status).toBe(403);
    expect((await call(resolve, { key: viewer, method: 'POST', id: alert.id })).status).toBe(403);
    expect((await call(acknowledge, { key: null, method: 'POST', id: alert.id })).status).toBe(401);

    const acked = await call(acknowledge, { key: support, method: 'POST', id: alert.id });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ id: alert.id, status: 'acknowledged', acknowledgedBy: expect.stringContaining('support') });
    expect(acked.body.acknowledgedAt).toEqual(expect.any(String));

    // Acknowledging again changes nothing and writes no second entry.
    const again = await call(acknowledge, { key: admin, method: 'POST', id: alert.id });
    expect(again.status).toBe(200);
    expect(again.body.acknowledgedBy).toBe(acked.body.acknowledgedBy);

    // New occurrences keep counting on the acknowledged alert.
    await raiseAlert(sql(), { kind: 'destination_circuit_open', destinationId, message: 'still open' });
    expect((await db().alert.findUniqueOrThrow({ where: { id: alert.id } })).details).toEqual({ count: 2 });

    const resolved = await call(resolve, { key: admin, method: 'POST', id: alert.id });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: expect.stringContaining('admin'), acknowledgedBy: acked.body.acknowledgedBy });

    const twice = await call(resolve, { key: admin, method: 'POST', id: alert.id });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('conflict');
    expect((await call(acknowledge, { key: support, method: 'POST', id: alert.id })).status).toBe(409);

    const entries = await db().auditLog.findMany({ where: { targetType: 'alert', targetId: alert.id }, orderBy: { createdAt: 'asc' } });
    expect(entries.map((entry) => entry.action)).toEqual(['alert.acknowledge', 'alert.resolve']);
    expect(entries[0]).toMatchObject({
      actorType: 'api_key',
      before: { status: 'open', acknowledgedBy: null },
      after: { status: 'acknowledged', kind: 'destination_circuit_open', destinationId },
    });
    expect(entries[1]).toMatchObject({ before: { status: 'acknowledged' }, after: { status: 'resolved' } });

    // After resolving, the next occurrence opens a new alert.
    await raiseAlert(sql(), { kind: 'destination_circuit_open', destinationId, message: 'opened again' });
    const reopened = await db().alert.findFirstOrThrow({ where: { destinationId, kind: 'destination_circuit_open', status: 'open' } });
    expect(reopened.id).not.toBe(alert.id);
  });

  it('resolves an open alert directly, and answers 404 for unknown ids', async () => {
    const alert = await openAlert('delivery_exhausted');
    const resolved = await call(resolve, { key: support, method: 'POST', id: alert.id });
    expect(resolved.body).toMatchObject({ status: 'resolved', acknowledgedAt: null });
    expect((await call(resolve, { key: support, method: 'POST', id: '0190a000-0000-7000-8000-000000000000' })).status).toBe(404);
    expect((await call(acknowledge, { key: support, method: 'POST', id: 'not-a-uuid' })).status).toBe(404);
  });

  it('pages newest first with a keyset cursor, without gaps or repeats, even when times tie', async () => {
    const other = (await createTestDestination({ url: 'http://127.0.0.1:9/paging' })).id;
    const tie = new Date('2026-01-01T00:00:00.000Z');
    // Resolved ones: only one alert per kind and target can be open at a time.
    for (let i = 0; i < 11; i++) {
      await db().alert.create({
        data: {
          kind: 'destination_failure_rate',
          status: 'resolved',
          destinationId: other,
          message: `#${i}`,
          createdAt: i < 6 ? tie : new Date(tie.getTime() + i * 1000),
        },
      });
    }
    const expected = (
      await db().alert.findMany({ where: { destinationId: other }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } })
    ).map((row) => row.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await call(listAlertsRoute, {
        key: viewer,
        query: `?status=resolved&destinationId=${other}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      });
      seen.push(...page.body.data.map((row) => row.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);

    const counts = await countAlertsByStatus();
    expect(counts.open).toBeGreaterThanOrEqual(1);
    expect(counts.resolved).toBeGreaterThanOrEqual(13);
  });
});
