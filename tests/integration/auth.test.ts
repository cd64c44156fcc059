import { describe, expect, it } from 'vitest';
import { findValidApiKey } from '@/lib/auth/api-keys';
import { issueApiKey, revokeApiKey } from '@/lib/auth/manage-api-keys';
import { authorizeCredentials } from '@/lib/auth/options';
import { requirePrincipal } from '@/lib/auth/principal';
import { db } from '@/lib/db/prisma';
import { AppError } from '@/lib/http/errors';
import { ensureFirstAdmin } from '@/lib/users/first-admin';
import { createUser, updateUser } from '@/lib/users/manage-users';

const headersFrom = (ip: string) => ({ 'x-hookyard-client-ip': ip });

describe('sign-in', () => {
  it('accepts the right password and refuses a wrong one or an inactive account', async () => {
    const { user } = await createUser({ email: 'ann@example.com', role: 'SUPPORT', password: 'correct horse battery' }, 'system');
    const ok = await authorizeCredentials({ email: 'ANN@example.com ', password: 'correct horse battery' }, headersFrom('10.0.0.1'));
    expect(ok?.id).toBe(user.id);
    expect(await authorizeCredentials({ email: 'ann@example.com', password: 'wrong' }, headersFrom('10.0.0.1'))).toBeNull();
    expect(await authorizeCredentials({ email: 'nobody@example.com', password: 'x' }, headersFrom('10.0.0.1'))).toBeNull();

    await db().user.update({ where: { id: user.id }, data: { active: false } });
    expect(await authorizeCredentials({ email: 'ann@example.com', password: 'correct horse battery' }, headersFrom('10.0.0.2'))).toBeNull();
  });
  // The throttling and lockout rules: tests/integration/sign-in-lockout.test.ts.
});

describe('API keys', () => {
  it('are stored hashed, carry a role, and stop working when revoked or expired', async () => {
    const { key, apiKey } = await issueApiKey({ name: 'ci', role: 'SUPPORT' }, 'system');
    const stored = await db().apiKey.findUniqueOrThrow({ where: { id: apiKey.id }, select: { keyHash: true, prefix: true } });
    expect(stored.keyHash).not.toContain(key.slice(4));
    expect(key.startsWith(stored.prefix)).toBe(true);

    const principal = await requirePrincipal('SUPPORT', new Headers({ authorization: `Bearer ${key}` }));
    expect(principal).toMatchObject({ kind: 'api_key', role: 'SUPPORT' });
    await expect(requirePrincipal('ADMIN', new Headers({ authorization: `Bearer ${key}` }))).rejects.toMatchObject({ status: 403 });
    await expect(requirePrincipal('VIEWER', new Headers({ authorization: 'Bearer hky_invalid' }))).rejects.toMatchObject({ status: 401 });

    const admin = await createUser({ email: 'admin2@example.com', role: 'ADMIN', password: 'admin password 123' }, 'system');
    await revokeApiKey(apiKey.id, { kind: 'user', id: admin.user.id, label: admin.user.email, role: 'ADMIN' });
    expect(await findValidApiKey(key)).toBeNull();

    const expiring = await issueApiKey({ name: 'short', role: 'VIEWER', expiresInDays: 1 }, 'system');
    expect(await findValidApiKey(expiring.key)).not.toBeNull();
    expect(await findValidApiKey(expiring.key, new Date(Date.now() + 2 * 86_400_000))).toBeNull();

    const audit = await db().auditLog.findMany({ where: { targetId: apiKey.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((entry) => entry.action)).toEqual(['api_key.create', 'api_key.revoke']);
    expect(JSON.stringify(audit)).not.toContain(key);
  });
});

describe('users', () => {
  it('keeps at least one active admin, and deactivation ends sessions', async () => {
    await db().user.deleteMany(); // the first admin is created only into an empty users table
    const created = await ensureFirstAdmin({ email: 'root@example.com' });
    expect(created?.generatedPassword).toHaveLength(20);
    expect(await ensureFirstAdmin({ email: 'other@example.com' })).toBeNull();
    const admin = await db().user.findUniqueOrThrow({ where: { email: 'root@example.com' } });
    const actor = { kind: 'user' as const, id: admin.id, label: admin.email, role: 'ADMIN' as const };

    await expect(updateUser(admin.id, { role: 'VIEWER' }, actor)).rejects.toMatchObject({ status: 409 });
    await expect(updateUser(admin.id, { active: false }, actor)).rejects.toBeInstanceOf(AppError);

    const { user } = await createUser({ email: 'sue@example.com', role: 'SUPPORT' }, actor);
    const before = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    await updateUser(user.id, { role: 'VIEWER' }, actor);
    const deactivated = await updateUser(user.id, { active: false }, actor);
    expect(deactivated.active).toBe(false);
    const after = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);

    const actions = await db().auditLog.findMany({ where: { targetId: user.id }, orderBy: { createdAt: 'asc' } });
    expect(actions.map((entry) => entry.action)).toEqual(['user.create', 'user.update', 'user.deactivate']);
    expect(actions[1]).toMatchObject({
      actorLabel: 'root@example.com',
      before: expect.objectContaining({ role: 'SUPPORT' }),
      after: expect.objectContaining({ role: 'VIEWER' }),
    });
    expect(JSON.stringify(actions)).not.toMatch(/password/i);
  });
});
