/**
 * Role escalation through API keys (the security suite, issue 15): a key carries its role, and a
 * key below ADMIN cannot mint a stronger key or raise anyone's role, its own creator's included.
 * The role matrix (role-matrix.test.ts) checks every operation with an empty body; these calls
 * carry the very body an attacker would send, and the database shows that nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH as patchUser } from '@/app/api/v1/users/[id]/route';
import { POST as createKey } from '@/app/api/v1/api-keys/route';
import { POST as createUserRoute } from '@/app/api/v1/users/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import type { Role } from '@/lib/db/generated/enums';
import { db } from '@/lib/db/prisma';
import { createUser } from '@/lib/users/manage-users';

const keys = {} as Record<Role, string>;
let supportUserId: string;

function call(
  handler: (request: Request, segment?: { params: Promise<{ id: string }> }) => Promise<Response>,
  key: string,
  method: string,
  url: string,
  body: unknown,
  id?: string,
) {
  const request = new Request(`http://localhost/api/v1/${url}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return handler(request, id ? { params: Promise.resolve({ id }) } : undefined);
}

beforeAll(async () => {
  for (const role of ['VIEWER', 'SUPPORT', 'ADMIN'] as Role[]) keys[role] = (await issueApiKey({ name: `escalation-${role}`, role }, 'system')).key;
  supportUserId = (await createUser({ email: 'support-person@example.com', role: 'SUPPORT', password: 'support password 123' }, 'system')).user.id;
});

afterAll(async () => {
  await db().$disconnect();
});

describe('a key below ADMIN', () => {
  for (const role of ['SUPPORT', 'VIEWER'] as Role[]) {
    it(`${role}: cannot create an ADMIN key`, async () => {
      const before = await db().apiKey.count();
      const response = await call(createKey, keys[role], 'POST', 'api-keys', { name: `escalated-by-${role}`, role: 'ADMIN' });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      expect(await db().apiKey.count()).toBe(before);
      expect(await db().apiKey.count({ where: { name: `escalated-by-${role}` } })).toBe(0);
    });

    it(`${role}: cannot change a user's role, nor create an admin`, async () => {
      const response = await call(patchUser, keys[role], 'PATCH', `users/${supportUserId}`, { role: 'ADMIN' }, supportUserId);
      expect(response.status).toBe(403);
      expect((await db().user.findUniqueOrThrow({ where: { id: supportUserId } })).role).toBe('SUPPORT');
      const created = await call(createUserRoute, keys[role], 'POST', 'users', { email: `new-admin-by-${role.toLowerCase()}@example.com`, role: 'ADMIN' });
      expect(created.status).toBe(403);
      expect(await db().user.count({ where: { email: `new-admin-by-${role.toLowerCase()}@example.com` } })).toBe(0);
    });
  }

  it('is refused while an ADMIN key doing the same is served (the refusal is the role, not the request)', async () => {
    const key = await call(createKey, keys.ADMIN, 'POST', 'api-keys', { name: 'made-by-admin', role: 'ADMIN' });
    expect(key.status).toBe(201);
    const raised = await call(patchUser, keys.ADMIN, 'PATCH', `users/${supportUserId}`, { role: 'ADMIN' }, supportUserId);
    expect(raised.status).toBe(200);
    expect((await db().user.findUniqueOrThrow({ where: { id: supportUserId } })).role).toBe('ADMIN');
  });
});
