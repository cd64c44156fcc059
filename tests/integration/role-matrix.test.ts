/**
 * Every mutating route (and every read) of the JSON API, and every server action of the
 * dashboard, called as each role: the server must refuse roles below the one the operation
 * needs (403, or 401 without credentials) and let the others through its role check. The
 * operations are discovered from the file system, so a new route or action that is missing from
 * the expectations below fails this test until someone decides who may call it.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { hasRole } from '@/lib/auth/roles';
import type { Role } from '@/lib/db/generated/enums';
import { db } from '@/lib/db/prisma';
import { createUser } from '@/lib/users/manage-users';

const session = vi.hoisted(() => ({ current: null as { uid: string; sv: number } | null }));
vi.mock('next-auth', async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'x-hookyard-client-ip': '127.0.0.1' }),
  cookies: async () => ({ getAll: () => [], get: () => undefined }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

/** Operations anyone may call, signed out: the OpenAPI document holds the API's shape, no data. */
const PUBLIC_API = ['GET openapi.json'];

/** Who may call each API operation: `METHOD path` (path relative to app/api/v1, with [id]). */
const API_ROLES: Record<string, Role> = {
  'GET alerts': 'VIEWER',
  'GET alerts/[id]': 'VIEWER',
  'GET alerts/[id]/notifications': 'VIEWER',
  'POST alerts/[id]/acknowledge': 'SUPPORT',
  'POST alerts/[id]/resolve': 'SUPPORT',
  'GET api-keys': 'ADMIN',
  'POST api-keys': 'ADMIN',
  'DELETE api-keys/[id]': 'ADMIN',
  'GET audit': 'VIEWER',
  'GET deliveries': 'VIEWER',
  'GET deliveries/[id]': 'VIEWER',
  'POST deliveries/[id]/retry': 'SUPPORT',
  'GET destinations': 'VIEWER',
  'POST destinations': 'ADMIN',
  'GET destinations/[id]': 'VIEWER',
  'PATCH destinations/[id]': 'ADMIN',
  'DELETE destinations/[id]': 'ADMIN',
  'POST destinations/[id]/pause': 'ADMIN',
  'POST destinations/[id]/probe': 'SUPPORT',
  'POST destinations/[id]/resume': 'ADMIN',
  'POST destinations/[id]/reveal-url': 'ADMIN',
  'POST destinations/[id]/secrets/rotate': 'ADMIN',
  'GET events': 'VIEWER',
  'GET events/[id]': 'VIEWER',
  'GET events/stream': 'VIEWER',
  'POST events/[id]/replay': 'SUPPORT',
  'GET notification-channels': 'ADMIN',
  'POST notification-channels': 'ADMIN',
  'GET notification-channels/[id]': 'ADMIN',
  'PATCH notification-channels/[id]': 'ADMIN',
  'DELETE notification-channels/[id]': 'ADMIN',
  'POST notification-channels/[id]/test': 'ADMIN',
  'GET overview': 'VIEWER',
  'GET replays': 'VIEWER',
  'POST replays': 'SUPPORT',
  'GET replays/[id]': 'VIEWER',
  'POST replays/[id]/cancel': 'SUPPORT',
  'GET routes': 'VIEWER',
  'POST routes': 'ADMIN',
  'GET routes/[id]': 'VIEWER',
  'PATCH routes/[id]': 'ADMIN',
  'DELETE routes/[id]': 'ADMIN',
  'POST routes/test-transform': 'ADMIN',
  'POST secrets/[id]/reveal': 'ADMIN',
  'DELETE secrets/[id]': 'ADMIN',
  'GET sources': 'VIEWER',
  'POST sources': 'ADMIN',
  'GET sources/[id]': 'VIEWER',
  'PATCH sources/[id]': 'ADMIN',
  'DELETE sources/[id]': 'ADMIN',
  'POST sources/[id]/secrets': 'ADMIN',
  'POST sources/[id]/secrets/rotate': 'ADMIN',
  'GET users': 'ADMIN',
  'POST users': 'ADMIN',
  'PATCH users/[id]': 'ADMIN',
  'POST users/[id]/password': 'ADMIN',
  // Admins for anyone, people for themselves: an API key is never "themselves", so only ADMIN keys pass.
  'POST users/[id]/sessions/revoke': 'ADMIN',
  // Everyone's own password (an API key's call is a 400: it has none).
  'POST users/me/password': 'VIEWER',
};

/** Who may call each server action: `<folder under app/(dashboard)>#<export>`. */
const ACTION_ROLES: Record<string, Role> = {
  'settings/users#createUserAction': 'ADMIN',
  'settings/users#updateUserAction': 'ADMIN',
  'settings/users#clearSignInLockAction': 'ADMIN',
  'settings/users#resetPasswordAction': 'ADMIN',
  'settings/users#revokeSessionsAction': 'ADMIN',
  // Everyone's own password and sessions.
  'settings/account#changePasswordAction': 'VIEWER',
  'settings/account#signOutEverywhereAction': 'VIEWER',
  'settings/api-keys#createApiKeyAction': 'ADMIN',
  'settings/api-keys#revokeApiKeyAction': 'ADMIN',
  // A read (a failure group's deliveries, page by page): every role may.
  'failed#listGroupDeliveriesAction': 'VIEWER',
  // A read (what became of a replay's new deliveries): every role may.
  'failed#replayOutcomeAction': 'VIEWER',
  // A test request to a destination is support work (checking a receiver), like a replay.
  'destinations#sendTestDeliveryAction': 'SUPPORT',
};
/** Action folders whose expectations are listed per export in ACTION_ROLES_BY_PREFIX. */
const ACTION_ROLES_BY_PREFIX: Record<string, Role> = {
  'sources#': 'ADMIN',
  'settings/notifications#': 'ADMIN',
  'destinations#': 'ADMIN',
  'alerts#': 'SUPPORT',
  'events#': 'SUPPORT',
  'failed#': 'SUPPORT',
};

const ROLES: Role[] = ['VIEWER', 'SUPPORT', 'ADMIN'];
const root = process.cwd();

function walk(dir: string, file: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, file, found);
    else if (entry === file) found.push(full);
  }
  return found;
}

const apiDir = path.join(root, 'app/api/v1');
const dashboardDir = path.join(root, 'app/(dashboard)');
type Handler = (request: Request, segment?: { params: Promise<Record<string, string>> }) => Promise<Response>;

const keys = {} as Record<Role, string>;
const users = {} as Record<Role, { uid: string; sv: number }>;

beforeAll(async () => {
  for (const role of ROLES) {
    keys[role] = (await issueApiKey({ name: `matrix-${role}`, role }, 'system')).key;
    const { user } = await createUser({ email: `matrix-${role.toLowerCase()}@example.com`, role, password: 'matrix password 123' }, 'system');
    users[role] = { uid: user.id, sv: 1 };
  }
});

afterAll(async () => {
  await db().$disconnect();
});

describe('the JSON API checks roles on the server', () => {
  const files = walk(apiDir, 'route.ts');
  it('lists an expected role for every operation that exists', async () => {
    const found: string[] = [];
    for (const file of files) {
      const route = path.relative(apiDir, path.dirname(file)).split(path.sep).join('/');
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) if (typeof mod[method] === 'function') found.push(`${method} ${route}`);
    }
    expect(
      found.filter((op) => !(op in API_ROLES) && !PUBLIC_API.includes(op)),
      'operations without an expected role',
    ).toEqual([]);
    expect(
      Object.keys(API_ROLES).filter((op) => !found.includes(op)),
      'expected operations that no longer exist',
    ).toEqual([]);
  });

  for (const [operation, required] of Object.entries(API_ROLES)) {
    it(`${operation} needs ${required}`, async () => {
      const [method, route] = operation.split(' ') as [string, string];
      const mod = (await import(path.join(apiDir, route, 'route.ts'))) as Record<string, Handler>;
      const handler = mod[method]!;
      const call = async (key: string | null) => {
        const headers = new Headers({ 'content-type': 'application/json' });
        if (key) headers.set('authorization', `Bearer ${key}`);
        const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
        const params = route.includes('[id]') ? { params: Promise.resolve({ id: '0190a0a0-0000-7000-8000-000000000000' }) } : undefined;
        const response = await handler(new Request(`http://localhost/api/v1/${route}`, { method, headers, body }), params);
        await response.body?.cancel(); // the event stream stays open otherwise
        return response.status;
      };
      expect(await call(null)).toBe(401);
      for (const role of ROLES) {
        const status = await call(keys[role]);
        if (hasRole(role, required)) expect([401, 403], `${role} was refused`).not.toContain(status);
        else expect(status, `${role} was let through`).toBe(403);
      }
    });
  }
});

describe('server actions check roles on the server', () => {
  const files = walk(dashboardDir, 'actions.ts');
  const expectedRole = (name: string): Role | undefined =>
    ACTION_ROLES[name] ?? Object.entries(ACTION_ROLES_BY_PREFIX).find(([prefix]) => name.startsWith(prefix))?.[1];

  it('every action has an expected role and refuses lower roles', async () => {
    const checked: string[] = [];
    for (const file of files) {
      const folder = path.relative(dashboardDir, path.dirname(file)).split(path.sep).join('/');
      const mod = (await import(file)) as Record<string, unknown>;
      for (const [name, action] of Object.entries(mod)) {
        if (typeof action !== 'function') continue;
        const id = `${folder}#${name}`;
        const required = expectedRole(id);
        expect(required, `no expected role for the server action ${id}`).toBeDefined();
        session.current = null;
        const anonymous = (await (action as (input: unknown) => Promise<{ ok: boolean; error?: { code: string } }>)({})) ?? {};
        expect(anonymous.ok, `${id} ran without a session`).toBe(false);
        expect(anonymous.error?.code, `${id} without a session`).toBe('unauthorized');
        for (const role of ROLES) {
          session.current = users[role];
          const result = await (action as (input: unknown) => Promise<{ ok: boolean; error?: { code: string } }>)({});
          if (hasRole(role, required!)) expect(result.ok ? 'ok' : result.error?.code, `${role} was refused ${id}`).not.toMatch(/^(forbidden|unauthorized)$/);
          else expect(result.ok ? 'ok' : result.error?.code, `${role} was let through ${id}`).toBe('forbidden');
        }
        checked.push(id);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(4);
  });
});
