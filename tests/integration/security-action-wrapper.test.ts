/**
 * The CSRF rule in the server-action wrapper itself (app/_server/server-action.ts). proxy.ts
 * refuses a forged action before Next.js decodes it (tests/integration/security-csrf.test.ts,
 * tests/e2e/security-browser.spec.ts); this is the second line, where the action runs, checked
 * with the request's headers as Next.js hands them over: a signed-in admin's cookie with a
 * foreign Origin, or with none, must not run the action.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db/prisma';
import { createUser } from '@/lib/users/manage-users';

const request = vi.hoisted(() => ({ headers: new Headers(), session: null as { uid: string; sv: number } | null }));
vi.mock('next-auth', async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => request.session }));
vi.mock('next/headers', () => ({
  headers: async () => request.headers,
  cookies: async () => ({ getAll: () => [], get: () => undefined }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const { createSourceAction } = await import('@/app/(dashboard)/sources/actions');

const HOST = 'hooks.internal:3000';
const headersWith = (extra: Record<string, string>) =>
  new Headers({ host: HOST, cookie: 'next-auth.session-token=signed-in', 'x-hookyard-client-ip': '127.0.0.1', ...extra });

beforeAll(async () => {
  const { user } = await createUser({ email: 'action-admin@example.com', role: 'ADMIN', password: 'action admin password 1' }, 'system');
  request.session = { uid: user.id, sv: 1 };
});

afterAll(async () => {
  await db().$disconnect();
});

describe('a server action called with the session cookie', () => {
  it.each([
    ['a foreign Origin', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['a sibling site', { origin: 'http://tools.internal:3000', 'sec-fetch-site': 'same-site' }],
    ['no Origin and no Sec-Fetch-Site', {}],
  ])('does not run from %s', async (_what, extra) => {
    request.headers = headersWith(extra);
    const name = `forged ${JSON.stringify(extra)}`;
    const result = await createSourceAction({ name, provider: 'none' });
    expect(result).toMatchObject({ ok: false, error: { code: 'cross_origin' } });
    expect(await db().source.count({ where: { name } })).toBe(0);
  });

  it("runs from the dashboard's own origin", async () => {
    request.headers = headersWith({ origin: `http://${HOST}` });
    const result = await createSourceAction({ name: 'from the dashboard', provider: 'none' });
    expect(result).toMatchObject({ ok: true });
    expect(await db().source.count({ where: { name: 'from the dashboard' } })).toBe(1);
    request.headers = headersWith({ 'sec-fetch-site': 'same-origin' });
    expect(await createSourceAction({ name: 'fetch metadata', provider: 'none' })).toMatchObject({ ok: true });
  });
});
