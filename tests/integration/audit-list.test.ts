import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listAuditRoute } from '@/app/api/v1/audit/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import type { Principal } from '@/lib/auth/principal';
import { listAudit, listAuditQuerySchema, loadAuditFilterOptions } from '@/lib/audit/list-audit';
import { recordAudit } from '@/lib/audit/record-audit';
import { db, disconnectDb } from '@/lib/db/prisma';

async function call(query: string, key: string | null) {
  const headers = new Headers();
  if (key) headers.set('authorization', `Bearer ${key}`);
  const response = await listAuditRoute(new Request(`http://localhost/api/v1/audit${query}`, { headers }));
  return { status: response.status, body: (await response.json()) as any };
}

const list = (query: Record<string, string | number | undefined>) => listAudit(listAuditQuerySchema.parse(query));

let viewer: string;
let alice: Principal;
let bob: Principal;

beforeAll(async () => {
  viewer = (await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system')).key;
  const a = await db().user.create({ data: { email: 'alice@example.com', passwordHash: 'x', role: 'ADMIN' } });
  const b = await db().user.create({ data: { email: 'bob@example.com', passwordHash: 'x', role: 'SUPPORT' } });
  alice = { kind: 'user', id: a.id, label: a.email, role: 'ADMIN' };
  bob = { kind: 'user', id: b.id, label: b.email, role: 'SUPPORT' };

  await recordAudit(alice, { action: 'source.create', targetType: 'source', targetId: 'src-1', after: { name: 'Stripe' } });
  await recordAudit(alice, { action: 'source.update', targetType: 'source', targetId: 'src-1', before: { name: 'Stripe' }, after: { name: 'Stripe live' } });
  await recordAudit(bob, {
    action: 'alert.acknowledge',
    targetType: 'alert',
    targetId: 'alert-1',
    before: { status: 'open' },
    after: { status: 'acknowledged' },
  });
  await recordAudit(bob, {
    action: 'alert.resolve',
    targetType: 'alert',
    targetId: 'alert-1',
    before: { status: 'acknowledged' },
    after: { status: 'resolved' },
  });
  await recordAudit('system', { action: 'destination.disable', targetType: 'destination', targetId: 'dst-1', after: { status: 'disabled' } });
});

afterAll(async () => {
  await disconnectDb();
});

describe('audit log list', () => {
  it('filters by person (id, label or system), action (exact or prefix) and target', async () => {
    const byAlice = await list({ actor: alice.id });
    expect(byAlice.data.map((entry) => entry.action)).toEqual(['source.update', 'source.create']);
    expect((await list({ actor: 'bob@example.com' })).data.map((entry) => entry.action)).toEqual(['alert.resolve', 'alert.acknowledge']);
    expect((await list({ actor: 'system' })).data.map((entry) => entry.action)).toEqual(['destination.disable', 'api_key.create']); // the viewer key was issued by 'system'

    expect((await list({ action: 'alert.resolve' })).data).toHaveLength(1);
    expect((await list({ action: 'alert.*' })).data.map((entry) => entry.action)).toEqual(['alert.resolve', 'alert.acknowledge']);
    expect((await list({ targetType: 'source', targetId: 'src-1' })).data).toHaveLength(2);
    expect((await list({ targetType: 'alert' })).data).toHaveLength(2);
    expect((await list({ actor: bob.id, action: 'source.*' })).data).toEqual([]);

    const update = (await list({ action: 'source.update' })).data[0]!;
    expect(update).toMatchObject({ actorType: 'user', actorLabel: 'alice@example.com', before: { name: 'Stripe' }, after: { name: 'Stripe live' } });
  });

  it('pages newest first without gaps or repeats, also when many entries share a millisecond', async () => {
    const tie = new Date('2026-02-01T00:00:00.000Z');
    await db().auditLog.createMany({
      data: Array.from({ length: 57 }, (_, i) => ({
        createdAt: i % 3 === 0 ? tie : new Date(tie.getTime() + (i % 7) * 1000),
        actorType: 'system' as const,
        actorLabel: 'system',
        action: i % 2 ? 'replay.create' : 'replay.cancel',
        targetType: 'replay',
        targetId: `r-${i % 5}`,
      })),
    });
    for (const filter of [{}, { action: 'replay.create' }, { targetType: 'replay', targetId: 'r-2' }] as Record<string, string>[]) {
      const expected = (
        await db().auditLog.findMany({
          where: {
            ...('action' in filter ? { action: filter.action } : {}),
            ...('targetId' in filter ? { targetType: filter.targetType, targetId: filter.targetId } : {}),
          },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          select: { id: true },
        })
      ).map((row) => row.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<typeof listAudit>> = await list({ ...filter, limit: 8, ...(cursor ? { cursor } : {}) });
        expect(page.data.length).toBeLessThanOrEqual(8);
        seen.push(...page.data.map((entry) => entry.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expected);
    }
  });

  it('offers the people, actions and target types to filter by', async () => {
    const options = await loadAuditFilterOptions();
    expect(options.actions).toEqual(expect.arrayContaining(['alert.acknowledge', 'alert.resolve', 'source.create', 'destination.disable', 'api_key.create']));
    expect([...options.actions].sort()).toEqual(options.actions);
    expect(options.targetTypes).toEqual(expect.arrayContaining(['alert', 'source', 'destination', 'api_key']));
    expect(options.actors).toEqual(
      expect.arrayContaining([
        { value: alice.id, label: 'alice@example.com', kind: 'user' },
        expect.objectContaining({ kind: 'api_key', label: expect.stringContaining('viewer') }),
        expect.objectContaining({ value: 'system', kind: 'system' }),
      ]),
    );
  });
});

describe('GET /api/v1/audit', () => {
  it('lets every role read, and validates filters and cursors', async () => {
    expect((await call('', null)).status).toBe(401);
    const ok = await call(`?action=alert.*&limit=1`, viewer);
    expect(ok.status).toBe(200);
    expect(ok.body.data).toHaveLength(1);
    expect(ok.body.data[0]).toMatchObject({ action: 'alert.resolve', targetType: 'alert', targetId: 'alert-1' });
    expect(ok.body.nextCursor).toEqual(expect.any(String));
    const next = await call(`?action=alert.*&limit=1&cursor=${ok.body.nextCursor}`, viewer);
    expect(next.body.data[0].action).toBe('alert.acknowledge');

    expect((await call('?cursor=nope', viewer)).status).toBe(422);
    expect((await call('?action=a*b', viewer)).status).toBe(422);
    expect((await call('?limit=0', viewer)).status).toBe(422);
    expect((await call('?colour=red', viewer)).status).toBe(422);
    // Empty parameters (a submitted empty form field) mean "no filter".
    expect((await call('?actor=&action=&targetType=&targetId=', viewer)).status).toBe(200);
  });
});
