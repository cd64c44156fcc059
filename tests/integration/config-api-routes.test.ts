import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as createDestination } from '@/app/api/v1/destinations/route';
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute } from '@/app/api/v1/routes/[id]/route';
import { GET as listRoutes, POST as createRoute } from '@/app/api/v1/routes/route';
import { POST as createSource } from '@/app/api/v1/sources/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { routeMatches } from '@/lib/routes/route-filter';

process.env.HOOKYARD_MASTER_KEY ??= randomBytes(32).toString('base64');
process.env.AUTH_SECRET ??= randomBytes(32).toString('base64');

type Handler = (request: Request, segment?: { params: Promise<any> }) => Promise<Response>;

async function call(handler: Handler, options: { key?: string | null; method?: string; body?: unknown; id?: string; url?: string } = {}) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (options.key) headers.set('authorization', `Bearer ${options.key}`);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const request = new Request(options.url ?? 'http://localhost/api/v1/routes', { method: options.method ?? 'GET', headers, body });
  const response = await handler(request, options.id === undefined ? undefined : { params: Promise.resolve({ id: options.id }) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any, text };
}

let admin: string;
let support: string;
let viewer: string;

beforeAll(async () => {
  admin = (await issueApiKey({ name: 'admin', role: 'ADMIN' }, 'system')).key;
  support = (await issueApiKey({ name: 'support', role: 'SUPPORT' }, 'system')).key;
  viewer = (await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system')).key;
});

async function newSource(): Promise<string> {
  return (await call(createSource, { key: admin, method: 'POST', body: { name: `src ${randomBytes(3).toString('hex')}`, provider: 'none' } })).body.id;
}

async function newDestination(): Promise<string> {
  return (await call(createDestination, { key: admin, method: 'POST', body: { name: 'dest', url: 'http://127.0.0.1:9/' } })).body.id;
}

const create = (body: unknown, key: string | null = admin) => call(createRoute, { key, method: 'POST', body });

describe('/api/v1/routes', () => {
  it('needs a key, lets VIEWER read, and lets only ADMIN change routes', async () => {
    const [sourceId, destinationId] = [await newSource(), await newDestination()];
    expect((await call(listRoutes, { key: null })).status).toBe(401);
    expect((await call(listRoutes, { key: viewer })).status).toBe(200);
    expect((await create({ sourceId, destinationId }, viewer)).status).toBe(403);
    expect((await create({ sourceId, destinationId }, support)).status).toBe(403);

    const id = (await create({ sourceId, destinationId })).body.id;
    expect((await call(getRoute, { key: viewer, id })).status).toBe(200);
    expect((await call(patchRoute, { key: support, id, method: 'PATCH', body: { enabled: false } })).status).toBe(403);
    expect((await call(deleteRoute, { key: viewer, id, method: 'DELETE' })).status).toBe(403);
  });

  it('creates a route with patterns and a filter, one per source and destination', async () => {
    const [sourceId, destinationId] = [await newSource(), await newDestination()];
    const body = { sourceId, destinationId, eventTypes: ['order.*', 'invoice.paid', 'order.*'], filter: { data: { total: { $gte: 100 } } } };
    const created = await create(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      sourceId,
      destinationId,
      eventTypes: ['order.*', 'invoice.paid'],
      filter: { data: { total: { $gte: 100 } } },
      enabled: true,
      source: { id: sourceId },
      destination: { id: destinationId, url: 'http://127.0.0.1:9/' },
    });
    // What is stored is what the ingest matcher gets.
    const stored = await db().route.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(routeMatches(stored, 'order.item.added', { data: { total: 150 } })).toBe(true);
    expect(routeMatches(stored, 'order.created', { data: { total: 50 } })).toBe(false);

    expect(await create(body)).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });

    const audit = await db().auditLog.findFirst({ where: { action: 'route.create', targetId: created.body.id } });
    expect(audit?.after).toMatchObject({ sourceId, destinationId, eventTypes: ['order.*', 'invoice.paid'] });

    const plain = await create({ sourceId, destinationId: await newDestination() });
    expect(plain.body).toMatchObject({ eventTypes: [], filter: null, enabled: true });
  });

  it('answers 404 for unknown sources or destinations and 422 for invalid input', async () => {
    const [sourceId, destinationId] = [await newSource(), await newDestination()];
    const unknown = '0190f3a1-0000-7000-8000-000000000000';
    expect(await create({ sourceId: unknown, destinationId })).toMatchObject({ status: 404, body: { error: { message: 'Source not found' } } });
    expect(await create({ sourceId, destinationId: unknown })).toMatchObject({ status: 404, body: { error: { message: 'Destination not found' } } });

    const nest = (levels: number): unknown => (levels === 1 ? { leaf: 1 } : { n: nest(levels - 1) });
    const cases: unknown[] = [
      { sourceId, destinationId, extra: true },
      { sourceId: 'nope', destinationId },
      { sourceId, destinationId, eventTypes: 'order.*' },
      { sourceId, destinationId, eventTypes: [''] },
      { sourceId, destinationId, filter: { status: { $regex: 'paid' } } },
      { sourceId, destinationId, filter: { total: { $gt: [1] } } },
      { sourceId, destinationId, filter: ['paid'] },
      { sourceId, destinationId, filter: nest(9) },
      { sourceId, destinationId, filter: { blob: 'x'.repeat(5000) } },
    ];
    for (const body of cases) {
      const answer = await create(body);
      expect(answer.status, JSON.stringify(body).slice(0, 100)).toBe(422);
      expect(answer.body.error.code).toBe('invalid_input');
    }
    const regex = await create({ sourceId, destinationId, filter: { status: { $regex: 'paid' } } });
    expect(regex.body.error.message).toMatch(/unknown operator \$regex/);
    expect(regex.body.error.details[0].path).toBe('filter.status.$regex');
  });

  it('lists routes filtered by source or destination', async () => {
    const [sourceA, sourceB, destination] = [await newSource(), await newSource(), await newDestination()];
    const a = (await create({ sourceId: sourceA, destinationId: destination })).body.id;
    const b = (await create({ sourceId: sourceB, destinationId: destination })).body.id;
    const bySource = await call(listRoutes, { key: viewer, url: `http://localhost/api/v1/routes?sourceId=${sourceA}` });
    expect(bySource.body.data.map((route: { id: string }) => route.id)).toEqual([a]);
    const byDestination = await call(listRoutes, { key: viewer, url: `http://localhost/api/v1/routes?destinationId=${destination}` });
    expect(byDestination.body.data.map((route: { id: string }) => route.id)).toEqual([a, b]);
    expect((await call(listRoutes, { key: viewer, url: 'http://localhost/api/v1/routes?sourceId=nope' })).status).toBe(422);
  });

  it('changes a route with an audited before/after', async () => {
    const id = (await create({ sourceId: await newSource(), destinationId: await newDestination(), filter: { type: 'a' } })).body.id;
    const changed = await call(patchRoute, { key: admin, id, method: 'PATCH', body: { eventTypes: ['*'], filter: null, enabled: false } });
    expect(changed).toMatchObject({ status: 200, body: { eventTypes: ['*'], filter: null, enabled: false } });
    const audit = await db().auditLog.findFirst({ where: { action: 'route.update', targetId: id } });
    expect(audit?.before).toMatchObject({ eventTypes: [], filter: { type: 'a' }, enabled: true });
    expect(audit?.after).toMatchObject({ eventTypes: ['*'], enabled: false });

    expect((await call(patchRoute, { key: admin, id, method: 'PATCH', body: {} })).status).toBe(422);
    expect((await call(patchRoute, { key: admin, id, method: 'PATCH', body: { sourceId: id } })).status).toBe(422);
    expect((await call(patchRoute, { key: admin, id, method: 'PATCH', body: { filter: { $nope: 1 } } })).status).toBe(422);
    expect((await call(patchRoute, { key: admin, id: 'nope', method: 'PATCH', body: { enabled: true } })).status).toBe(404);
    expect((await call(getRoute, { key: admin, id: 'nope' })).status).toBe(404);
  });

  it('deletes a route; the deliveries it made stay, with routeId null', async () => {
    const [sourceId, destinationId] = [await newSource(), await newDestination()];
    const id = (await create({ sourceId, destinationId })).body.id;
    const eventId = newId();
    await db().event.create({ data: { id: eventId, sourceId, headers: {}, body: new Uint8Array(Buffer.from('{}')), size: 2, verification: 'unverified' } });
    const delivery = await db().delivery.create({ data: { id: newId(), eventId, sourceId, destinationId, routeId: id, status: 'succeeded' } });

    const deleted = await call(deleteRoute, { key: admin, id, method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await call(getRoute, { key: admin, id })).status).toBe(404);
    expect(await db().delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ routeId: null, status: 'succeeded' });
    const audit = await db().auditLog.findFirst({ where: { action: 'route.delete', targetId: id } });
    expect(audit?.before).toMatchObject({ sourceId, destinationId });
    expect((await call(deleteRoute, { key: admin, id, method: 'DELETE' })).status).toBe(404);

    // The pair is free again.
    expect((await create({ sourceId, destinationId })).status).toBe(201);
  });
});
