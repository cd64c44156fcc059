/**
 * Own password change, admin reset and "sign out everywhere" through the real route handlers,
 * with real next-auth session JWTs (encoded and decoded by next-auth/jwt with AUTH_SECRET) and a
 * real database: who may call what, the answers' errors, that old session cookies stop working
 * and the caller's re-issued one keeps working, and the audit entries (without passwords).
 */
import { decode, encode } from 'next-auth/jwt';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as changeOwn } from '@/app/api/v1/users/me/password/route';
import { POST as reset } from '@/app/api/v1/users/[id]/password/route';
import { POST as revoke } from '@/app/api/v1/users/[id]/sessions/revoke/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { authorizeCredentials } from '@/lib/auth/options';
import { getPrincipal } from '@/lib/auth/principal';
import type { Role } from '@/lib/db/generated/enums';
import { db } from '@/lib/db/prisma';
import { createUser } from '@/lib/users/manage-users';

// getServerSession needs Next's request scope; here it reads the cookie of the request under test
// and decodes it with next-auth's own decoder, as next-auth does.
const current = vi.hoisted(() => ({ cookie: '' }));
vi.mock('next-auth', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getServerSession: async () => {
    const token = /next-auth\.session-token=([^;]+)/.exec(current.cookie)?.[1];
    if (!token) return null;
    const jwt = await decode({ token, secret: process.env.AUTH_SECRET! });
    return jwt ? { uid: jwt.uid, sv: jwt.sv } : null;
  },
}));

const COOKIE = 'next-auth.session-token';
const secret = process.env.AUTH_SECRET!;

async function sessionCookie(user: { id: string }): Promise<string> {
  const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { sessionVersion: true } });
  return `${COOKIE}=${await encode({ token: { uid: user.id, sv: sessionVersion }, secret })}`;
}

type Handler = (request: Request, segment?: { params: Promise<{ id: string }> }) => Promise<Response>;

async function call(handler: Handler, auth: { cookie?: string; key?: string }, body: unknown = {}, id?: string) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (auth.cookie) headers.set('cookie', auth.cookie);
  if (auth.key) headers.set('authorization', `Bearer ${auth.key}`);
  current.cookie = auth.cookie ?? '';
  const response = await handler(
    new Request('http://localhost/api/v1/users/x', { method: 'POST', headers, body: JSON.stringify(body) }),
    id ? { params: Promise.resolve({ id }) } : undefined,
  );
  return { status: response.status, setCookie: response.headers.get('set-cookie'), body: (await response.json()) as Record<string, any> };
}

/** Whether a session cookie still signs its holder in. */
async function signedIn(cookie: string): Promise<boolean> {
  current.cookie = cookie;
  return (await getPrincipal(new Headers({ cookie }))) !== null;
}

const PASSWORD = 'the first password 123';
let counter = 0;
async function person(role: Role) {
  const { user } = await createUser({ email: `p${++counter}-${role.toLowerCase()}@example.com`, role, password: PASSWORD }, 'system');
  return user;
}

const keys = {} as Record<Role, string>;
beforeAll(async () => {
  for (const role of ['ADMIN', 'SUPPORT', 'VIEWER'] as const) keys[role] = (await issueApiKey({ name: `k-${role}`, role }, 'system')).key;
});

describe('POST /api/v1/users/me/password', () => {
  it('changes the password, ends the other sessions and keeps this one signed in', async () => {
    const viewer = await person('VIEWER');
    const here = await sessionCookie(viewer);
    const elsewhere = await sessionCookie(viewer);

    const wrong = await call(changeOwn, { cookie: here }, { currentPassword: 'not my password', newPassword: 'a brand new password' });
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'bad_request', message: 'The current password is wrong' } } });
    const short = await call(changeOwn, { cookie: here }, { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.status).toBe(422);
    expect(short.body.error.message).toContain('at least 12 characters');
    const same = await call(changeOwn, { cookie: here }, { currentPassword: PASSWORD, newPassword: PASSWORD });
    expect(same.status).toBe(400);
    expect(await signedIn(elsewhere)).toBe(true);

    const changed = await call(changeOwn, { cookie: here }, { currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expect(changed).toMatchObject({ status: 200, body: { changed: true, signedIn: true } });
    expect(changed.setCookie).toMatch(/^next-auth\.session-token=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/);
    const reissued = changed.setCookie!.split(';')[0]!;
    expect(await signedIn(reissued)).toBe(true);
    expect(await signedIn(elsewhere)).toBe(false);
    expect(await signedIn(here)).toBe(false);

    expect(await authorizeCredentials({ email: viewer.email, password: PASSWORD }, { 'x-hookyard-client-ip': '10.9.0.1' })).toBeNull();
    expect((await authorizeCredentials({ email: viewer.email, password: 'a brand new password' }, { 'x-hookyard-client-ip': '10.9.0.1' }))?.id).toBe(viewer.id);

    const audit = await db().auditLog.findMany({ where: { targetId: viewer.id, action: { startsWith: 'user.password' } } });
    expect(audit.map((entry) => [entry.action, entry.actorLabel])).toEqual([['user.password_change', viewer.email]]);
    expect(JSON.stringify(audit)).not.toContain('brand new');
    expect(JSON.stringify(audit)).not.toContain('argon2');
  });

  it('needs a signed-in person: 401 without one, 400 for an API key, 409 for an account without a password', async () => {
    expect((await call(changeOwn, {}, { currentPassword: 'x', newPassword: 'a brand new password' })).status).toBe(401);
    expect(await call(changeOwn, { key: keys.ADMIN }, { currentPassword: 'x', newPassword: 'a brand new password' })).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request' } },
    });
    // A single sign-on account has no password hash (NULL once password_hash is nullable).
    const sso = await person('VIEWER');
    await db().user.update({ where: { id: sso.id }, data: { passwordHash: '' } });
    const answer = await call(changeOwn, { cookie: await sessionCookie(sso) }, { currentPassword: 'anything', newPassword: 'a brand new password' });
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(answer.body.error.message).toContain('single sign-on');
  });

  it('counts wrong current passwords like failed sign-ins: ten from one address lock the account there', async () => {
    process.env.HOOKYARD_SIGN_IN_MAX_DELAY_MS = '0';
    try {
      const viewer = await person('VIEWER');
      const cookie = await sessionCookie(viewer);
      const attempt = async (ip: string, currentPassword: string) => {
        current.cookie = cookie;
        const headers = new Headers({ 'content-type': 'application/json', cookie, 'x-hookyard-client-ip': ip });
        const response = await changeOwn(
          new Request('http://localhost/api/v1/users/me/password', {
            method: 'POST',
            headers,
            body: JSON.stringify({ currentPassword, newPassword: 'a brand new password' }),
          }),
        );
        return { status: response.status, body: (await response.json()) as Record<string, any> };
      };
      for (let i = 0; i < 10; i++) expect((await attempt('10.7.0.1', `guess ${i}`)).status).toBe(400);
      expect(await attempt('10.7.0.1', PASSWORD)).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
      await expect(authorizeCredentials({ email: viewer.email, password: PASSWORD }, { 'x-hookyard-client-ip': '10.7.0.1' })).rejects.toThrow('locked');
      // From elsewhere the account is not locked (the account-wide lock needs 30).
      expect((await attempt('10.7.0.2', PASSWORD)).status).toBe(200);
    } finally {
      delete process.env.HOOKYARD_SIGN_IN_MAX_DELAY_MS;
    }
  });
});

describe('POST /api/v1/users/{id}/password (admin reset)', () => {
  it('is refused to support and viewer, by key and by session', async () => {
    const target = await person('VIEWER');
    for (const role of ['SUPPORT', 'VIEWER'] as const) {
      expect((await call(reset, { key: keys[role] }, {}, target.id)).status).toBe(403);
      expect((await call(reset, { cookie: await sessionCookie(await person(role)) }, {}, target.id)).status).toBe(403);
    }
    expect((await call(reset, {}, {}, target.id)).status).toBe(401);
    expect(await authorizeCredentials({ email: target.email, password: PASSWORD }, { 'x-hookyard-client-ip': '10.9.0.2' })).not.toBeNull();
  });

  it('sets or generates the password, ends the user’s sessions, and audits without the password', async () => {
    const admin = await person('ADMIN');
    const adminCookie = await sessionCookie(admin);
    const target = await person('SUPPORT');
    const targetCookie = await sessionCookie(target);

    const generated = await call(reset, { cookie: adminCookie }, {}, target.id);
    expect(generated.status).toBe(200);
    expect(generated.body.password).toHaveLength(20);
    expect(await signedIn(targetCookie)).toBe(false);
    expect(await signedIn(adminCookie)).toBe(true);
    expect(await authorizeCredentials({ email: target.email, password: PASSWORD }, { 'x-hookyard-client-ip': '10.9.0.3' })).toBeNull();
    expect((await authorizeCredentials({ email: target.email, password: generated.body.password }, { 'x-hookyard-client-ip': '10.9.0.3' }))?.id).toBe(
      target.id,
    );

    const chosen = await call(reset, { key: keys.ADMIN }, { newPassword: 'chosen by the admin 1' }, target.id);
    expect(chosen).toMatchObject({ status: 200, body: { reset: true } });
    expect(chosen.body.password).toBeUndefined();
    expect((await authorizeCredentials({ email: target.email, password: 'chosen by the admin 1' }, { 'x-hookyard-client-ip': '10.9.0.3' }))?.id).toBe(
      target.id,
    );
    expect((await call(reset, { key: keys.ADMIN }, { newPassword: 'short' }, target.id)).status).toBe(422);
    expect((await call(reset, { key: keys.ADMIN }, {}, '0190a0a0-0000-7000-8000-000000000000')).status).toBe(404);

    const audit = await db().auditLog.findMany({ where: { targetId: target.id, action: 'user.password_reset' }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((entry) => entry.actorLabel)).toEqual([admin.email, expect.stringContaining('api key k-ADMIN')]);
    expect(JSON.stringify(audit)).not.toContain(generated.body.password);
    expect(JSON.stringify(audit)).not.toContain('chosen by the admin');
  });
});

describe('POST /api/v1/users/{id}/sessions/revoke', () => {
  it('lets admins sign anyone out and people sign themselves out, nobody else', async () => {
    const admin = await person('ADMIN');
    const support = await person('SUPPORT');
    const viewer = await person('VIEWER');
    const viewerCookie = await sessionCookie(viewer);

    expect((await call(revoke, { cookie: await sessionCookie(support) }, {}, viewer.id)).status).toBe(403);
    expect((await call(revoke, { key: keys.SUPPORT }, {}, viewer.id)).status).toBe(403);
    expect(await signedIn(viewerCookie)).toBe(true);

    expect(await call(revoke, { cookie: await sessionCookie(admin) }, {}, viewer.id)).toMatchObject({ status: 200, body: { revoked: true } });
    expect(await signedIn(viewerCookie)).toBe(false);

    const again = await sessionCookie(viewer);
    expect(await signedIn(again)).toBe(true);
    expect((await call(revoke, { cookie: again }, {}, viewer.id)).status).toBe(200);
    expect(await signedIn(again)).toBe(false);
    expect((await call(revoke, { key: keys.ADMIN }, {}, '0190a0a0-0000-7000-8000-000000000000')).status).toBe(404);

    const audit = await db().auditLog.findMany({ where: { targetId: viewer.id, action: 'user.sessions_revoked' }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((entry) => [entry.actorLabel, (entry.after as { self: boolean }).self])).toEqual([
      [admin.email, false],
      [viewer.email, true],
    ]);
  });
});
