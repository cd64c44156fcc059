/**
 * The security suite, in a real browser (SPEC "Browser security", docs/security.md):
 * - every dashboard page (found on disk) and the sign-in page carry the header set, with a fresh
 *   nonce each time, and log no Content-Security-Policy violation while the charts, the JSON
 *   viewer and the forms work;
 * - payloads, header values and search terms full of markup are shown as text, and the markup's
 *   script never runs (markup in header names is refused at the door);
 * - a page on another origin auto-submits forms to the JSON API and to a server action, with the
 *   signed-in admin's cookie: both are refused, and nothing is created;
 * - no other origin can frame the dashboard.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page, type Response, test } from '@playwright/test';
import { E2E_ADMIN } from './support/credentials';
import { dashboardRoutes, fillRoute, post, seedTraffic, signIn } from './support/dashboard';

const IMG = '<img src=x onerror=window.__xss=1>';
const SCRIPT = '"><script>window.__xss=1</script>';

/** Collects what the browser reports against the policy: console messages and securitypolicyviolation events. */
async function watchPolicy(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`),
    );
  });
  context.on('console', (message) => {
    const text = message.text();
    if (/Refused to|Content Security Policy/i.test(text)) violations.push(`${message.page()?.url()}: ${text}`);
  });
  return violations;
}

async function violationEvents(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

/** The header set of one dashboard response; returns its nonce. */
function expectHeaderSet(response: Response | null, what: string): string {
  expect(response, `${what}: no response`).not.toBeNull();
  const headers = response!.headers();
  const csp = headers['content-security-policy'] ?? '';
  const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
  expect(nonce, `${what}: the CSP has no nonce: ${csp}`).toBeTruthy();
  expect(scriptSrc, what).toContain("'strict-dynamic'");
  expect(scriptSrc, what).not.toContain("'unsafe-inline'");
  expect(scriptSrc, what).not.toContain("'unsafe-eval'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toContain("base-uri 'self'");
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['referrer-policy'], what).toBe('same-origin');
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['permissions-policy'], what).toContain('camera=()');
  // Served over plain http without HOOKYARD_PUBLIC_URL: no HSTS.
  expect(headers['strict-transport-security'], what).toBeUndefined();
  return nonce!;
}

test('every page carries the header set, with a new nonce each time, and logs no CSP violation', async ({ page, context }) => {
  test.setTimeout(300_000);
  const violations = await watchPolicy(context);
  const nonces = new Set<string>();

  const login = await page.goto('/login');
  nonces.add(expectHeaderSet(login, '/login'));
  await signIn(page);
  const traffic = await seedTraffic(page);
  const ids = {
    '/events/[id]': traffic.eventId,
    '/sources/[id]': traffic.sourceId,
    '/destinations/[id]': traffic.destinationId,
    '/alerts/[id]': traffic.alertId,
  };
  const routes = dashboardRoutes();
  expect(routes.length).toBeGreaterThan(10);
  const visited: string[] = [];
  for (const route of routes) {
    const response = await page.goto(fillRoute(route, ids));
    nonces.add(expectHeaderSet(response, route));
    await expect(page.locator('main h1').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    // The app's scripts ran under the policy (the client runtime sets window.next when it boots).
    expect(await page.evaluate(() => typeof (window as unknown as { next?: { version?: string } }).next?.version), `${route}: the app did not boot`).toBe(
      'string',
    );
    if (route === '/') await expect(page.locator('main svg.recharts-surface').first(), 'the overview charts render').toBeVisible();
    if (route === '/events/[id]') await expect(page.getByTestId('json-tree').first(), 'the JSON viewer renders').toBeVisible();
    for (const event of await violationEvents(page)) violations.push(`${route}: ${event}`);
    visited.push(route);
  }
  expect(visited).toEqual(routes);
  expect(nonces.size, 'each response has its own nonce').toBe(routes.length + 1);

  // Typing into the notification settings' client form (where zod once probed eval) reports nothing either.
  await page.goto('/settings/notifications');
  await page.getByLabel('Name').first().fill(`CSP webhook ${Date.now()}`);
  for (const event of await violationEvents(page)) violations.push(`/settings/notifications (form): ${event}`);

  // The JSON API and the static assets carry the static part of the set.
  const api = await page.request.get('/api/v1/sources');
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
  expect(api.headers()['x-frame-options']).toBe('DENY');
  expect(api.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  const script = await page.locator('script[src^="/_next/static/"]').first().getAttribute('src');
  const asset = await page.request.get(script!);
  expect(asset.status()).toBe(200);
  expect(asset.headers()['x-content-type-options']).toBe('nosniff');

  expect(violations).toEqual([]);
});

/** One raw HTTP/1.1 request, as no fetch implementation would send it; answers the status code. */
function rawRequest(port: number, head: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

test('markup in payloads, headers and search terms is shown as text and never runs', async ({ page, context, baseURL }) => {
  test.setTimeout(120_000);
  const violations = await watchPolicy(context);
  await signIn(page);
  const run = Date.now().toString(36);
  const source = await post(page.request, '/api/v1/sources', { name: `XSS ${run}`, provider: 'none', eventTypeJsonPath: 'type' });
  const port = Number(new URL(baseURL!).port);
  const path = `/api/ingest/${source.slug}`;

  // Markup in a header NAME is not HTTP: the server refuses it before anything is stored.
  const badName = await rawRequest(
    port,
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n${IMG}: 1`,
    '{"type":"bad.name"}',
  );
  expect(badName).toBe(400);

  // Markup in header values, in body keys and values, and in the event type.
  const body = JSON.stringify({ type: `order.${IMG}`, [IMG]: SCRIPT, note: `${SCRIPT} ${IMG}`, run });
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Content-Type: application/json',
    `X-Markup: ${IMG}`,
    `X-Quote: ${SCRIPT}`,
    // The punctuation a header name may hold (RFC 9110 tchar), some of which HTML treats specially.
    "X-Odd!#$%&'*+.^_`|~: name",
  ].join('\r\n');
  expect(await rawRequest(port, head, body)).toBe(202);
  let eventId = '';
  await expect
    .poll(async () => {
      const list = (await (await page.request.get(`/api/v1/events?sourceId=${source.id}`)).json()) as { data: { id: string }[] };
      eventId = list.data[0]?.id ?? '';
      return list.data.length;
    })
    .toBe(1);

  const expectInert = async (where: string) => {
    await expect(page.locator('main h1').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), `${where}: the markup ran`).toBeUndefined();
    expect(await page.locator('img[src="x"]').count(), `${where}: the markup became an element`).toBe(0);
    for (const event of await violationEvents(page)) violations.push(`${where}: ${event}`);
  };

  await page.goto(`/events?sourceId=${source.id}`);
  await expect(page.getByTestId('event-row').first()).toContainText(`order.${IMG}`);
  await expectInert('the events list');

  await page.goto(`/events/${eventId}`);
  const headers = page.getByTestId('request-headers');
  await expect(headers).toContainText(IMG);
  await expect(headers).toContainText(SCRIPT);
  await expect(headers).toContainText("x-odd!#$%&'*+.^_`|~");
  await expect(page.getByTestId('request-body')).toContainText(SCRIPT);
  await expect(page.getByTestId('request-body')).toContainText(IMG);
  await expectInert('the event page');

  for (const term of [IMG, SCRIPT]) {
    await page.goto(`/events?sourceId=${source.id}&q=${encodeURIComponent(term)}`);
    await expect(page.locator('input[name="q"]')).toHaveValue(term);
    await expectInert(`a search for ${term}`);
  }
  // The search box, typed into as a person would.
  await page.locator('input[name="q"]').fill(SCRIPT);
  await page.locator('input[name="q"]').press('Enter');
  await expect(page).toHaveURL(/q=/);
  await expectInert('a typed search');

  expect(violations).toEqual([]);
});

test.describe('another origin', () => {
  let attacker: Server;
  let attackerOrigin = '';
  let pageHtml = '';

  test.beforeAll(async () => {
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(pageHtml);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const address = attacker.address();
    attackerOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  test.afterAll(async () => {
    await new Promise((resolve) => attacker?.close(resolve));
  });

  /**
   * A context that behaves like a person's browser: no extra headers (the config's Origin for
   * the API helpers would hide the attacker's), signed in to the dashboard.
   */
  async function signedInBrowser(browser: import('@playwright/test').Browser): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ extraHTTPHeaders: {} });
    const page = await context.newPage();
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    return { context, page };
  }

  test('cannot make a signed-in browser change anything through a form, to the API or to a server action', async ({ browser, baseURL, page }) => {
    test.setTimeout(120_000);
    const victim = await signedInBrowser(browser);
    const name = `csrf-form-${Date.now().toString(36)}`;
    // The classic text/plain trick: the field name and value join into a JSON body.
    const jsonField = `{"name":"${name}","provider":"none","x":"`;
    const actionId = findActionId('createSourceAction');
    // Each form is submitted by the top-level page (a frame could not even show the refusal: the
    // dashboard's answers may not be framed).
    const forms = {
      api: `<form method="POST" action="${baseURL}/api/v1/sources" enctype="text/plain"><input name='${jsonField}' value='"}'></form>`,
      action: `<form method="POST" action="${baseURL}/sources/new" enctype="multipart/form-data">
        <input name="$ACTION_ID_${actionId}" value=""><input name="name" value="${name}-action"><input name="provider" value="none"></form>`,
    };
    const submit = async (form: string, url: string) => {
      pageHtml = `<!doctype html><html><body>${form}<script>document.forms[0].submit()</script></body></html>`;
      const answer = victim.page.waitForResponse((response) => response.url() === url && response.request().method() === 'POST');
      await victim.page.goto(`${attackerOrigin}/`);
      const response = await answer;
      const body = (await response.json()) as { error?: { code: string } };
      return { origin: response.request().headers()['origin'], status: response.status(), code: body.error?.code };
    };
    const api = await submit(forms.api, `${baseURL}/api/v1/sources`);
    const action = await submit(forms.action, `${baseURL}/sources/new`);

    // The browser sent the session cookie (127.0.0.1 on another port is the same site), so only
    // the rule stands between the attacker and the API: a 401 here would mean no cookie went.
    expect(api).toEqual({ origin: attackerOrigin, status: 403, code: 'cross_origin' });
    expect(action).toEqual({ origin: attackerOrigin, status: 403, code: 'cross_origin' });

    // Nothing was created, seen by the admin in another (honest) session.
    await signIn(page);
    const sources = (await (await page.request.get('/api/v1/sources')).json()) as { data: { name: string }[] };
    expect(sources.data.map((source) => source.name).filter((sourceName) => sourceName.startsWith(name))).toEqual([]);
    await page.goto('/audit');
    await expect(page.locator('main')).not.toContainText(name);
    await victim.context.close();
  });

  test('cannot frame the dashboard', async ({ browser, baseURL }) => {
    const victim = await signedInBrowser(browser);
    const refused = victim.page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
    pageHtml = `<!doctype html><html><body><iframe id="victim" src="${baseURL}/settings/api-keys" width="800" height="600"></iframe></body></html>`;
    await victim.page.goto(`${attackerOrigin}/`);
    expect((await refused).text()).toMatch(/frame-ancestors 'none'.*blocked|Refused to frame/s);
    const frame = victim.page.frames().find((candidate) => candidate !== victim.page.mainFrame());
    expect(frame, 'the iframe exists').toBeTruthy();
    // The frame holds the browser's error page, never the dashboard.
    await expect(victim.page.frameLocator('#victim').getByRole('heading', { name: 'API keys' })).toHaveCount(0);
    expect(frame!.url().startsWith(baseURL!) && (await frame!.locator('[data-testid="current-user"]').count()) > 0).toBe(false);
    await victim.context.close();
  });
});

/** The id this build gave a server action (what React sends as Next-Action, or a no-JS form as $ACTION_ID_…). */
function findActionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync(join(process.cwd(), '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, action]) => action.exportedName === exportedName && action.filename?.includes('sources/actions'));
  if (!entry) throw new Error(`no server action ${exportedName} in the build`);
  return entry[0];
}
