import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { authOptions, authProviders, authorizeCredentials } from '@/lib/auth/options';
import { signInWithOidc } from '@/lib/auth/oidc/oidc-sign-in';
import { db } from '@/lib/db/prisma';
import { ensureFirstAdmin, readAdminSettings } from '@/lib/users/first-admin';
import { createUser, listUsers, updateUser } from '@/lib/users/manage-users';

const ISSUER = 'https://idp.example.test';
const settings = { roleClaim: 'groups', roleMap: { admins: 'ADMIN', support: 'SUPPORT' }, defaultRole: 'VIEWER' } as const;
const identity = (subject: string, claims: Record<string, unknown>) => ({ issuer: ISSUER, subject, claims: { sub: subject, ...claims } });
const audit = (targetId: string) => db().auditLog.findMany({ where: { targetId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });

const ssoEnv = {
  HOOKYARD_OIDC_ISSUER: ISSUER,
  HOOKYARD_OIDC_CLIENT_ID: 'hookyard',
  HOOKYARD_OIDC_CLIENT_SECRET: 'client secret',
  HOOKYARD_OIDC_ROLE_CLAIM: 'groups',
  HOOKYARD_OIDC_ROLE_MAP: '{"admins":"ADMIN"}',
};
const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('HOOKYARD_OIDC_') || name === 'HOOKYARD_PASSWORD_LOGIN') delete process.env[name];
  Object.assign(process.env, saved);
});

describe('single sign-on users', () => {
  it('are created at the first sign-in with the mapped role, and found by their identity afterwards', async () => {
    const first = await signInWithOidc(identity('sub-new', { email: 'New.Person@Example.com', name: 'New Person', groups: ['support'] }), settings, '10.1.0.1');
    expect(first).toMatchObject({ ok: true, user: { email: 'new.person@example.com', name: 'New Person', role: 'SUPPORT', sessionVersion: 1 } });
    if (!first.ok) throw new Error('refused');
    const stored = await db().user.findUniqueOrThrow({ where: { id: first.user.id }, omit: { passwordHash: false } });
    expect(stored).toMatchObject({ passwordHash: null, oidcIssuer: ISSUER, oidcSubject: 'sub-new' });
    expect(stored.lastLoginAt).not.toBeNull();
    const created = await audit(first.user.id);
    expect(created.map((entry) => [entry.action, entry.actorType, entry.actorLabel, entry.ip])).toEqual([['user.create', 'system', 'sso', '10.1.0.1']]);
    expect(created[0]!.after).toMatchObject({ email: 'new.person@example.com', role: 'SUPPORT' });

    // The email changed at the provider: still the same person (the subject decides).
    const again = await signInWithOidc(identity('sub-new', { email: 'renamed@example.com', groups: ['support'] }), settings, null);
    expect(again).toMatchObject({ ok: true, user: { id: first.user.id } });
    expect(await db().user.count({ where: { oidcSubject: 'sub-new' } })).toBe(1);
    // Only a password-less SSO user: password sign-in is refused, and the users list says SSO.
    expect(await authorizeCredentials({ email: 'new.person@example.com', password: 'anything at all' }, {})).toBeNull();
    expect((await listUsers()).find((user) => user.id === first.user.id)?.signInMethods).toEqual(['oidc']);
  });

  it('refresh the role at every sign-in, audited, and never demote the last active admin', async () => {
    await db().user.deleteMany();
    const admin = await signInWithOidc(identity('sub-boss', { email: 'boss@example.com', email_verified: true, groups: ['admins'] }), settings, null);
    if (!admin.ok) throw new Error('refused');
    expect(admin.user.role).toBe('ADMIN');
    const other = await signInWithOidc(identity('sub-ops', { email: 'ops@example.com', groups: ['admins', 'support'] }), settings, null);
    if (!other.ok) throw new Error('refused');
    expect(other.user.role).toBe('ADMIN');

    // Moved to "support" at the provider: SUPPORT from the next sign-in.
    expect(await signInWithOidc(identity('sub-ops', { email: 'ops@example.com', groups: ['support'] }), settings, '10.1.0.2')).toMatchObject({
      ok: true,
      user: { role: 'SUPPORT' },
    });
    expect(await signInWithOidc(identity('sub-ops', { email: 'ops@example.com', groups: [] }), settings, null)).toMatchObject({
      ok: true,
      user: { role: 'VIEWER' },
    });
    const changes = (await audit(other.user.id)).filter((entry) => entry.action === 'user.role_change');
    expect(changes.map((entry) => [entry.before, entry.after])).toEqual([
      [{ role: 'ADMIN' }, { role: 'SUPPORT' }],
      [{ role: 'SUPPORT' }, { role: 'VIEWER' }],
    ]);
    // An unchanged role writes no role_change.
    await signInWithOidc(identity('sub-ops', { email: 'ops@example.com', groups: [] }), settings, null);
    expect((await audit(other.user.id)).filter((entry) => entry.action === 'user.role_change')).toHaveLength(2);

    // boss is now the only active admin: the provider cannot take that away.
    expect(await signInWithOidc(identity('sub-boss', { email: 'boss@example.com', groups: [] }), settings, null)).toMatchObject({
      ok: true,
      user: { role: 'ADMIN' },
    });
  });

  it('link an existing user by verified email only, and keep their password', async () => {
    const { user } = await createUser({ email: 'jane@example.com', role: 'VIEWER', password: 'jane password 123' }, 'system');
    expect(await signInWithOidc(identity('sub-jane', { email: 'jane@example.com', email_verified: false, groups: ['admins'] }), settings, null)).toMatchObject({
      ok: false,
      reason: 'email_not_verified',
      userId: user.id,
    });
    expect(await signInWithOidc(identity('sub-jane', { email: 'jane@example.com', groups: ['admins'] }), settings, null)).toMatchObject({
      ok: false,
      reason: 'email_not_verified',
    });
    const linked = await signInWithOidc(identity('sub-jane', { email: 'jane@example.com', email_verified: true, groups: ['support'] }), settings, '10.1.0.3');
    expect(linked).toMatchObject({ ok: true, user: { id: user.id, role: 'SUPPORT' } });
    expect((await audit(user.id)).map((entry) => entry.action)).toEqual(['user.create', 'user.link_sso', 'user.role_change']);
    expect(await authorizeCredentials({ email: 'jane@example.com', password: 'jane password 123' }, {})).toMatchObject({ id: user.id });
    expect((await listUsers()).find((row) => row.id === user.id)?.signInMethods).toEqual(['password', 'oidc']);

    // Another identity at the same issuer claiming the same (verified) email does not take the account over.
    expect(await signInWithOidc(identity('sub-impostor', { email: 'jane@example.com', email_verified: true }), settings, null)).toMatchObject({
      ok: false,
      reason: 'email_linked_to_other_identity',
    });
    expect(await signInWithOidc(identity('sub-noemail', {}), settings, null)).toMatchObject({ ok: false, reason: 'no_email' });
  });

  it('refuse a deactivated user, whose role and last sign-in stay as they were', async () => {
    const first = await signInWithOidc(identity('sub-gone', { email: 'gone@example.com', groups: ['support'] }), settings, null);
    if (!first.ok) throw new Error('refused');
    const admin = await createUser({ email: 'admin-deact@example.com', role: 'ADMIN', password: 'admin password 123' }, 'system');
    await updateUser(first.user.id, { active: false }, { kind: 'user', id: admin.user.id, label: admin.user.email, role: 'ADMIN' });
    const before = await db().user.findUniqueOrThrow({ where: { id: first.user.id } });
    expect(await signInWithOidc(identity('sub-gone', { email: 'gone@example.com', groups: ['admins'] }), settings, null)).toMatchObject({
      ok: false,
      reason: 'inactive',
    });
    expect(await db().user.findUniqueOrThrow({ where: { id: first.user.id } })).toMatchObject({
      role: 'SUPPORT',
      lastLoginAt: before.lastLoginAt,
      sessionVersion: 2,
    });
  });

  it('with password sign-in off, the first admin is created without a password and signs in through SSO', async () => {
    await db().user.deleteMany();
    const admin = readAdminSettings({ ...ssoEnv, HOOKYARD_ADMIN_EMAIL: 'root@example.com', HOOKYARD_PASSWORD_LOGIN: 'false' });
    expect(admin.withoutPassword).toBe(true);
    expect(await ensureFirstAdmin(admin)).toEqual({ email: 'root@example.com', generatedPassword: null });
    const root = await db().user.findUniqueOrThrow({ where: { email: 'root@example.com' }, omit: { passwordHash: false } });
    expect(root).toMatchObject({ role: 'ADMIN', passwordHash: null });
    expect((await listUsers())[0]?.signInMethods).toEqual([]);
    // No groups at the provider, but the only admin stays one.
    const linked = await signInWithOidc(identity('sub-root', { email: 'root@example.com', email_verified: true, groups: [] }), settings, null);
    expect(linked).toMatchObject({ ok: true, user: { id: root.id, role: 'ADMIN' } });
  });

  it('leave the role to Hookyard when no role claim is configured', async () => {
    const noClaim = { roleClaim: null, roleMap: null, defaultRole: 'SUPPORT' } as const;
    const first = await signInWithOidc(identity('sub-plain', { email: 'plain@example.com', groups: ['admins'] }), noClaim, null);
    expect(first).toMatchObject({ ok: true, user: { role: 'SUPPORT' } });
    if (!first.ok) throw new Error('refused');
    await db().user.update({ where: { id: first.user.id }, data: { role: 'VIEWER' } });
    expect(await signInWithOidc(identity('sub-plain', { email: 'plain@example.com' }), noClaim, null)).toMatchObject({ ok: true, user: { role: 'VIEWER' } });
  });
});

describe('the next-auth sign-in', () => {
  it('offers the providers the settings name, and none for passwords when password sign-in is off', () => {
    expect(authProviders().map((provider) => provider.id)).toEqual(['credentials']);
    Object.assign(process.env, ssoEnv);
    expect(authProviders().map((provider) => provider.id)).toEqual(['oidc', 'credentials']);
    expect(authProviders()[0]).toMatchObject({
      type: 'oauth',
      wellKnown: `${ISSUER}/.well-known/openid-configuration`,
      authorization: { params: { scope: 'openid email profile' } },
      checks: ['pkce', 'state'],
      idToken: true,
    });
    process.env.HOOKYARD_PASSWORD_LOGIN = 'false';
    expect(authProviders().map((provider) => provider.id)).toEqual(['oidc']);
  });

  it('refuses passwords on the server when password sign-in is off, and audits it', async () => {
    const { user } = await createUser({ email: 'pw@example.com', role: 'VIEWER', password: 'pw password 1234' }, 'system');
    const headers = { 'x-hookyard-client-ip': '10.2.0.1' };
    expect(await authorizeCredentials({ email: 'pw@example.com', password: 'pw password 1234' }, headers)).toMatchObject({ id: user.id });
    Object.assign(process.env, ssoEnv, { HOOKYARD_PASSWORD_LOGIN: 'false' });
    expect(await authorizeCredentials({ email: 'pw@example.com', password: 'pw password 1234' }, headers)).toBeNull();
    const entries = await db().auditLog.findMany({
      where: { action: { in: ['user.sign_in', 'user.sign_in_failed'] }, ip: '10.2.0.1' },
      orderBy: { createdAt: 'asc' },
    });
    expect(entries.map((entry) => [entry.action, entry.actorLabel, entry.after])).toEqual([
      ['user.sign_in', 'pw@example.com', { method: 'password' }],
      ['user.sign_in_failed', 'anonymous', { method: 'password', email: 'pw@example.com', reason: 'password_login_disabled' }],
    ]);
  });

  it('audits password sign-ins that fail, with the reason and the address, and never the password', async () => {
    await createUser({ email: 'audit-me@example.com', role: 'VIEWER', password: 'the right password' }, 'system');
    const headers = { 'x-hookyard-client-ip': '10.2.0.2' };
    await authorizeCredentials({ email: 'audit-me@example.com', password: 'a wrong password' }, headers);
    await authorizeCredentials({ email: 'nobody-here@example.com', password: 'a wrong password' }, headers);
    const entries = await db().auditLog.findMany({ where: { action: 'user.sign_in_failed', ip: '10.2.0.2' }, orderBy: { createdAt: 'asc' } });
    expect(entries.map((entry) => entry.after)).toEqual([
      { method: 'password', email: 'audit-me@example.com', reason: 'wrong_password' },
      { method: 'password', email: 'nobody-here@example.com', reason: 'unknown_email' },
    ]);
    expect(JSON.stringify(entries)).not.toContain('a wrong password');
  });

  it('signs an SSO user in through the signIn and jwt callbacks, auditing success and refusal', async () => {
    Object.assign(process.env, ssoEnv);
    const options = authOptions({ headers: new Headers({ 'x-hookyard-client-ip': '10.3.0.1' }) });
    const user: Record<string, unknown> = { id: 'sub-cb', email: 'cb@example.com' };
    const profile = { iss: ISSUER, sub: 'sub-cb', email: 'cb@example.com', groups: ['admins'] };
    const account = { provider: 'oidc', type: 'oauth', providerAccountId: 'sub-cb' } as const;
    expect(await options.callbacks!.signIn!({ user: user as never, account: account as never, profile })).toBe(true);
    const stored = await db().user.findUniqueOrThrow({ where: { email: 'cb@example.com' } });
    expect(stored.role).toBe('ADMIN');
    const token = await options.callbacks!.jwt!({ token: {}, user: user as never, account: account as never, trigger: 'signIn' });
    expect(token).toMatchObject({ uid: stored.id, sv: 1 });

    const signIns = await db().auditLog.findMany({ where: { action: 'user.sign_in', targetId: stored.id } });
    expect(signIns.map((entry) => [entry.actorLabel, entry.ip, entry.after])).toEqual([['cb@example.com', '10.3.0.1', { method: 'oidc' }]]);

    await db().user.update({ where: { id: stored.id }, data: { active: false } });
    expect(await options.callbacks!.signIn!({ user: { id: 'sub-cb' } as never, account: account as never, profile })).toBe(false);
    const refused = await db().auditLog.findMany({ where: { action: 'user.sign_in_failed', targetId: stored.id } });
    expect(refused.map((entry) => [entry.ip, entry.after])).toEqual([['10.3.0.1', { method: 'oidc', email: 'cb@example.com', reason: 'inactive' }]]);
  });
});

interface AuthResponse {
  body?: unknown;
  status?: number;
  redirect?: string;
  cookies?: { name: string; value: string }[];
}
// next-auth's request handler, which /api/auth/[...nextauth] runs (through next/headers, which
// needs a Next.js request). The package does not export it, so it is loaded by its path.
const { AuthHandler } = createRequire(import.meta.url)('../../node_modules/next-auth/core/index.js') as {
  AuthHandler(params: { req: Record<string, unknown>; options: unknown }): Promise<AuthResponse>;
};

describe("next-auth's own endpoints", () => {
  async function auth(
    action: 'providers' | 'csrf' | 'callback',
    init: { providerId?: string; body?: Record<string, string>; cookies?: Record<string, string> } = {},
  ) {
    process.env.NEXTAUTH_URL = 'http://localhost:3000';
    return AuthHandler({
      req: { method: init.body ? 'POST' : 'GET', action, providerId: init.providerId, body: init.body, cookies: init.cookies ?? {}, headers: {}, query: {} },
      options: authOptions(),
    });
  }

  async function passwordSignIn(email: string, password: string) {
    const csrf = await auth('csrf');
    const cookie = csrf.cookies?.find((c) => c.name === 'next-auth.csrf-token');
    const response = await auth('callback', {
      providerId: 'credentials',
      body: { csrfToken: (csrf.body as { csrfToken: string }).csrfToken, email, password },
      cookies: { 'next-auth.csrf-token': cookie!.value },
    });
    return { status: response.status, session: response.cookies?.some((c) => c.name === 'next-auth.session-token' && c.value) ?? false };
  }

  it('list the providers, and refuse a correct password when password sign-in is off', async () => {
    await createUser({ email: 'http@example.com', role: 'VIEWER', password: 'http password 123' }, 'system');
    Object.assign(process.env, ssoEnv);
    expect(Object.keys((await auth('providers')).body as object)).toEqual(['oidc', 'credentials']);
    expect(await passwordSignIn('http@example.com', 'http password 123')).toMatchObject({ session: true });

    process.env.HOOKYARD_PASSWORD_LOGIN = 'false';
    expect(Object.keys((await auth('providers')).body as object)).toEqual(['oidc']);
    const refused = await passwordSignIn('http@example.com', 'http password 123');
    // The provider is not registered at all: next-auth itself refuses the request.
    expect(refused).toEqual({ status: 400, session: false });
  });
});
