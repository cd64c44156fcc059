/**
 * The CSRF rule on a real server (SPEC "Browser security", docs/security.md): the real launcher
 * (scripts/start.ts: the web process, the Next.js process with proxy.ts, a worker) on this file's
 * database, signed in through next-auth's own credentials flow. A forged request looks exactly
 * like what a page on another origin makes a browser send: the session cookie, `text/plain` (a
 * "simple" request that needs no CORS preflight) and a foreign Origin, or no Origin at all.
 * Each refusal is checked in the database too: nothing was created. The server runs as behind a
 * TLS proxy (HOOKYARD_PUBLIC_URL=https://…), so its answers carry HSTS and the public origin is
 * the dashboard's own, beside the address the requests are sent to.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { db } from '@/lib/db/prisma';
import { type Launcher, startLauncher } from '../faults/support/launcher';

const ADMIN = { email: 'admin@csrf.test', password: 'csrf-admin-password-1234' };
const EVIL = 'http://evil.example';
const PUBLIC_URL = 'https://hooks.csrf.test';

let server: Launcher;
let cookie: string;

/** The cookies a response sets, as one Cookie header (name=value pairs only). */
function cookiesFrom(response: Response, previous = ''): string {
  const jar = new Map(
    previous
      .split('; ')
      .filter(Boolean)
      .map((pair) => [pair.split('=')[0]!, pair] as const),
  );
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0]!;
    jar.set(pair.split('=')[0]!, pair);
  }
  return [...jar.values()].join('; ');
}

/** Signs in as a browser's sign-in form does (next-auth: CSRF token, then the credentials callback). */
async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  let jar = cookiesFrom(csrf);
  const callback = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar, origin: baseUrl },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  jar = cookiesFrom(callback, jar);
  if (!jar.includes('next-auth.session-token=')) throw new Error(`sign-in failed (${callback.status}): ${await callback.text()}`);
  return jar;
}

const sourcesNamed = (name: string) => db().source.count({ where: { name } });

/** A cookie-carried POST /api/v1/sources as a cross-site form would send it. */
function postSource(name: string, headers: Record<string, string>) {
  return fetch(`${server.baseUrl}/api/v1/sources`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
    body: JSON.stringify({ name, provider: 'none' }),
  });
}

/** The id Next.js gave a server action in this build. */
function actionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, action]) => action.exportedName === exportedName && action.filename?.includes('sources/actions'));
  if (!entry) throw new Error(`no server action ${exportedName} in the build`);
  return entry[0];
}

/** A server action call as React makes it: a POST to the page with Next-Action and the arguments as JSON. */
function callCreateSource(name: string, headers: Record<string, string>) {
  return fetch(`${server.baseUrl}/sources/new`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component', 'next-action': actionId('createSourceAction'), cookie, ...headers },
    body: JSON.stringify([{ name, provider: 'none' }]),
  });
}

beforeAll(async () => {
  server = await startLauncher({
    DATABASE_URL: process.env.DATABASE_URL!,
    HOOKYARD_MASTER_KEY: process.env.HOOKYARD_MASTER_KEY!,
    AUTH_SECRET: process.env.AUTH_SECRET!,
    HOOKYARD_ADMIN_EMAIL: ADMIN.email,
    HOOKYARD_ADMIN_PASSWORD: ADMIN.password,
    HOOKYARD_WEB_PROCESSES: '1',
    HOOKYARD_PUBLIC_URL: PUBLIC_URL,
  });
  // The first run builds the dashboard (next build): minutes on a small machine.
  await server.ready(540_000);
  cookie = await signIn(server.baseUrl, ADMIN.email, ADMIN.password);
}, 600_000);

afterAll(async () => {
  await server?.stop();
  await db().$disconnect();
}, 120_000);

describe('a signed-in change from another origin', () => {
  it('is refused with 403 cross_origin for the JSON API, and nothing is created', async () => {
    const response = await postSource('forged-evil-origin', { cookie, origin: EVIL, 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('cross_origin');
    expect(body.error.message).toMatch(/another origin/);
    expect(await sourcesNamed('forged-evil-origin')).toBe(0);
  });

  it('is refused when the request says nothing about its origin', async () => {
    const response = await postSource('forged-no-origin', { cookie });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('cross_origin');
    expect(await sourcesNamed('forged-no-origin')).toBe(0);
  });

  it('is refused from a sibling site, which SameSite cookies would let through', async () => {
    const response = await postSource('forged-same-site', { cookie, origin: 'http://127.0.0.2:1', 'sec-fetch-site': 'same-site' });
    expect(response.status).toBe(403);
    expect(await sourcesNamed('forged-same-site')).toBe(0);
  });

  it('goes through from the dashboard itself: its own Origin, or Sec-Fetch-Site: same-origin', async () => {
    const own = await postSource('own-origin', { cookie, origin: server.baseUrl });
    expect(own.status).toBe(201);
    expect(await sourcesNamed('own-origin')).toBe(1);
    const fetchMetadata = await postSource('fetch-metadata', { cookie, 'sec-fetch-site': 'same-origin' });
    expect(fetchMetadata.status).toBe(201);
  });

  it("goes through from HOOKYARD_PUBLIC_URL's origin", async () => {
    const response = await postSource('public-origin', { cookie, origin: PUBLIC_URL });
    expect(response.status).toBe(201);
    expect(await sourcesNamed('public-origin')).toBe(1);
  });

  it('does not concern API keys: a Bearer call with a foreign Origin is served', async () => {
    const { key } = await issueApiKey({ name: 'csrf-script', role: 'ADMIN' }, 'system');
    const response = await postSource('bearer-evil-origin', { authorization: `Bearer ${key}`, origin: EVIL });
    expect(response.status).toBe(201);
    expect(await sourcesNamed('bearer-evil-origin')).toBe(1);
  });

  it('leaves reads alone: a GET with the cookie from anywhere answers', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/sources`, { headers: { cookie, origin: EVIL } });
    expect(response.status).toBe(200);
  });

  it('is refused with 403 for a server action, and the action does not run', async () => {
    const forged = await callCreateSource('forged-action', { origin: EVIL, 'sec-fetch-site': 'cross-site' });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('cross_origin');
    const silent = await callCreateSource('forged-action-no-origin', {});
    expect(silent.status).toBe(403);
    expect(await sourcesNamed('forged-action')).toBe(0);
    expect(await sourcesNamed('forged-action-no-origin')).toBe(0);

    // The same call from the dashboard's own origin runs: the refusal above was the rule, not a malformed call.
    const own = await callCreateSource('own-action', { origin: server.baseUrl });
    expect(own.status).toBe(200);
    expect(await sourcesNamed('own-action')).toBe(1);
  });
});

describe('the header set on real responses', () => {
  it('is on the sign-in page, with a nonce, and on the JSON API; HSTS since the public URL is https', async () => {
    const page = await fetch(`${server.baseUrl}/login`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    // Next.js put the same nonce on its scripts.
    expect(await page.text()).toContain(`nonce="${nonce}"`);
    for (const response of [page, await fetch(`${server.baseUrl}/api/v1/sources`, { headers: { cookie } })]) {
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
    }
    const again = await fetch(`${server.baseUrl}/login`);
    expect(again.headers.get('content-security-policy')).not.toContain(`'nonce-${nonce}'`);
  });
});
