/**
 * What an admin does on the sources and destinations pages, end to end against the real server
 * (ingest, worker and dashboard): create a Stripe source through the form, add, reveal and rotate
 * its secret, create a destination pointing at a local sink, route the source to it, send a test
 * event and watch the sink receive the signed forward. Then a VIEWER sees the same pages without
 * any secret value or secret control, and the server refuses a server action replayed with the
 * viewer's session. Every page is screenshotted into the test output.
 */
import { randomBytes } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { startSink } from '../support/sink';
import { E2E_ADMIN } from './support/credentials';

test.describe.configure({ mode: 'serial' });

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toHaveText(email);
}

/** Time for RelativeTime/LocalDateTime to fill in after hydration before a screenshot. */
async function settle(page: Page) {
  await page.waitForLoadState('load');
  await page.waitForTimeout(300);
}

const suffix = randomBytes(3).toString('hex');
const sourceName = `Stripe e2e ${suffix}`;
const sourceSlug = `stripe-e2e-${suffix}`;
const destinationName = `Sink e2e ${suffix}`;
const firstSecret = `whsec_e2eFirst${randomBytes(12).toString('hex')}`;
const maskOf = (value: string) => `whsec_••••••••${value.slice(-4)}`;

const state: {
  sourceId?: string;
  destinationId?: string;
  rotatedSecret?: string;
  revealAction?: { url: string; headers: Record<string, string>; body: string };
} = {};
let sink: Awaited<ReturnType<typeof startSink>>;

test.beforeAll(async () => {
  sink = await startSink();
});

test.afterAll(async () => {
  await sink.close();
});

test('an admin creates a Stripe source through the form and manages its secrets', async ({ page }, testInfo) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole('link', { name: 'Sources', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sources', level: 1 })).toBeVisible();
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('sources-list-before.png'), fullPage: true });

  await page.getByRole('link', { name: 'New source' }).first().click();
  await expect(page.getByRole('heading', { name: 'New source', level: 1 })).toBeVisible();

  // The form adapts to the preset: a configurable scheme shows its own settings…
  const provider = page.getByLabel('Provider', { exact: true });
  await provider.selectOption('hmac');
  await expect(page.getByLabel('Algorithm')).toHaveValue('sha256');
  await expect(page.getByLabel('Shared signing secret')).toBeVisible();
  // …and Stripe shows its secret label and its tolerance with the preset's default.
  await provider.selectOption('stripe');
  await expect(page.getByLabel('Algorithm')).toHaveCount(0);
  await expect(page.getByLabel('Signing secret (whsec_…)')).toBeVisible();
  await expect(page.getByLabel('Timestamp tolerance (seconds)')).toHaveValue('300');

  await page.getByLabel('Name', { exact: true }).fill(sourceName);
  // A server-side validation error lands next to its field.
  await page.getByLabel('Timestamp tolerance (seconds)').fill('999999');
  await page.getByLabel('Timestamp tolerance (seconds)').evaluate((input: HTMLInputElement) => input.removeAttribute('max'));
  await page.getByRole('button', { name: 'Create source' }).click();
  await expect(page.locator('#src-settings\\.toleranceSeconds-error')).toContainText(/86400/);
  await page.screenshot({ path: testInfo.outputPath('source-new-validation.png'), fullPage: true });
  await page.getByLabel('Timestamp tolerance (seconds)').fill('600');
  await page.getByLabel('Slug').fill(sourceSlug);
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('source-new.png'), fullPage: true });
  await page.getByRole('button', { name: 'Create source' }).click();

  await expect(page).toHaveURL(/\/sources\/[0-9a-f-]{36}$/);
  state.sourceId = page.url().split('/').pop();
  await expect(page.getByRole('heading', { name: sourceName, level: 1 })).toBeVisible();
  await expect(page.getByTestId('ingest-url')).toHaveText(new RegExp(`/api/ingest/${sourceSlug}$`));
  await expect(page.getByText('No secrets yet')).toBeVisible();
  // Without a secret, the test button explains itself instead of failing.
  await expect(page.getByRole('button', { name: 'Send test event' })).toBeDisabled();
  await expect(page.getByText('Add a secret first.')).toBeVisible();

  // Add: the value is shown once, then only its masked hint.
  await page.getByRole('button', { name: 'Add secret' }).first().click();
  const addDialog = page.getByRole('dialog', { name: 'Add a secret' });
  await addDialog.getByLabel('Signing secret (whsec_…)').fill(firstSecret);
  await addDialog.getByLabel('Label').fill('Stripe dashboard');
  await addDialog.getByRole('button', { name: 'Add secret' }).click();
  await expect(addDialog.getByTestId('new-secret-value')).toHaveText(firstSecret);
  await addDialog.getByRole('button', { name: 'Done' }).click();
  await expect(addDialog).toBeHidden();
  const firstRow = page.getByTestId(`secret-row-${maskOf(firstSecret)}`);
  await expect(firstRow).toContainText('Active');
  await expect(firstRow).toContainText('Stripe dashboard');
  await expect(page.locator('body')).not.toContainText(firstSecret);

  // Reveal (audited), then hide. The server action request is kept to replay it as a viewer.
  const revealRequest = page.waitForRequest((request) => request.method() === 'POST' && Boolean(request.headers()['next-action']));
  await page.getByRole('button', { name: `Reveal secret ${maskOf(firstSecret)}` }).click();
  const captured = await revealRequest;
  state.revealAction = { url: captured.url(), headers: await captured.allHeaders(), body: captured.postData() ?? '' };
  await expect(page.getByTestId('revealed-secret-value')).toHaveText(firstSecret);
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('source-secret-revealed.png'), fullPage: true });
  await page.getByRole('button', { name: 'Hide' }).click();
  await expect(page.getByTestId('revealed-secret-value')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(firstSecret);

  // Rotate with a one-hour grace period: a new active secret, the old one expiring.
  await page.getByRole('button', { name: 'Rotate' }).click();
  const rotateDialog = page.getByRole('dialog', { name: 'Rotate secret' });
  await expect(rotateDialog.getByLabel('24 hours')).toBeChecked();
  await rotateDialog.getByLabel('1 hour').check();
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('source-rotate-dialog.png') });
  await rotateDialog.getByRole('button', { name: 'Rotate' }).click();
  const rotated = (await rotateDialog.getByTestId('new-secret-value').textContent())?.trim() ?? '';
  expect(rotated).toMatch(/^[0-9a-f]{64}$/);
  await expect(rotateDialog).toContainText('keeps working for 1 hour');
  state.rotatedSecret = rotated;
  await rotateDialog.getByRole('button', { name: 'Done' }).click();
  await expect(firstRow).toContainText('Expiring');
  await expect(page.getByTestId(`secret-row-••••••••${rotated.slice(-4)}`)).toContainText('Active');
  await expect(page.locator('body')).not.toContainText(rotated);

  // Edit on the detail page: the server's CIDR check lands under the allowlist.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByLabel('IP allowlist').fill('10.0.0.5/24');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('#src-ipAllowlist-error')).toContainText('host bits set');
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('source-edit-validation.png'), fullPage: true });
  await page.getByLabel('IP allowlist').fill('');
  await expect(page.locator('#src-ipAllowlist-error')).toHaveCount(0);
  await page.getByLabel('Rate limit (requests per second)').fill('100');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
  await expect(page.getByText('100 requests per second')).toBeVisible();
  await expect(page.getByText('Timestamp tolerance (seconds):')).toBeVisible();
});

test('an admin creates a destination and routes the source to it', async ({ page }, testInfo) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/destinations');
  await expect(page.getByRole('heading', { name: 'Destinations', level: 1 })).toBeVisible();
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('destinations-list-before.png'), fullPage: true });
  await page.getByRole('link', { name: 'New destination' }).first().click();

  await page.getByLabel('Name', { exact: true }).fill(destinationName);
  await page.getByLabel('URL', { exact: true }).fill(`${sink.url}/hook`);
  await page.getByRole('button', { name: '+ Add header' }).click();
  await page.getByLabel('Header 1 name').fill('X-E2E');
  await page.getByLabel('Header 1 value').fill('from-hookyard-e2e');
  // The retry schedule is editable in human units, with the default shown.
  await expect(page.getByLabel('Attempt 3', { exact: true })).toHaveValue('5');
  await expect(page.getByLabel('Unit of attempt 3')).toHaveValue('min');
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('destination-new.png'), fullPage: true });
  await page.getByRole('button', { name: 'Create destination' }).click();

  const signingSecret = (await page.getByTestId('new-signing-secret').textContent())?.trim() ?? '';
  expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  await page.screenshot({ path: testInfo.outputPath('destination-created.png'), fullPage: true });
  await page.getByRole('link', { name: 'Continue to the destination →' }).click();
  await expect(page).toHaveURL(/\/destinations\/[0-9a-f-]{36}$/);
  state.destinationId = page.url().split('/').pop();
  await expect(page.getByRole('heading', { name: destinationName, level: 1 })).toBeVisible();
  await expect(page.locator('body')).not.toContainText(signingSecret);

  // Route: pick the source, narrow to payment intents; the preview says there is nothing yet.
  await page.getByRole('button', { name: 'Add route' }).first().click();
  const routeDialog = page.getByRole('dialog', { name: 'Add a route' });
  await routeDialog.getByLabel('Source', { exact: true }).selectOption(state.sourceId!);
  await routeDialog.getByLabel('Event types').fill('payment_intent.*');
  await expect(routeDialog.getByText('has no events yet')).toBeVisible();
  // The server validates the filter; its error lands under the textarea.
  await routeDialog.getByLabel('Payload filter (JSON, optional)').fill('{"data": {"$regex": "x"}}');
  await routeDialog.getByRole('button', { name: 'Add route' }).click();
  await expect(routeDialog.locator('#route-filter-error')).toContainText('unknown operator $regex');
  await routeDialog.getByLabel('Payload filter (JSON, optional)').fill('');
  await routeDialog.getByRole('button', { name: 'Add route' }).click();
  await expect(routeDialog).toBeHidden();
  await expect(page.getByTestId(`route-${sourceSlug}`)).toContainText('payment_intent.*');

  // Edit: a shorter timeout and one more attempt, in human units.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByLabel('Timeout (seconds)').fill('10');
  await page.getByRole('button', { name: '+ Add attempt' }).click();
  await expect(page.getByLabel('Attempt 9', { exact: true })).toHaveValue('1');
  await page.getByLabel('Unit of attempt 9').selectOption('d');
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('destination-edit.png'), fullPage: true });
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
  await expect(page.getByText('10 s', { exact: true })).toBeVisible();
  await expect(page.getByText('9 attempts: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 1 d')).toBeVisible();
});

test('"Send test event" goes through the real ingest route and the sink receives the forward', async ({ page }, testInfo) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/sources/${state.sourceId}`);
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByTestId('test-event-status')).toHaveText('202');
  await expect(page.getByTestId('test-event-result')).toContainText('payment_intent.succeeded');
  const eventId = (await page.getByTestId('test-event-id').textContent())?.trim() ?? '';
  expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByTestId('test-event-id')).toHaveAttribute('href', `/events/${eventId}`);

  // The worker forwards it to the sink, signed, with the destination's header.
  await expect.poll(() => sink.received.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  const forwarded = sink.received[0]!;
  expect(forwarded.path).toBe('/hook');
  expect(JSON.parse(forwarded.body.toString('utf8'))).toMatchObject({ type: 'payment_intent.succeeded' });
  expect(forwarded.headers['webhook-signature']).toMatch(/^v1,/);
  expect(forwarded.headers['x-e2e']).toBe('from-hookyard-e2e');

  // A forged request is refused with 401 and shows up with its reason.
  const ingestUrl = (await page.getByTestId('ingest-url').first().textContent())?.trim() ?? '';
  const forged = await page.request.post(ingestUrl, {
    headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
    data: '{"id":"evt_forged"}',
  });
  expect(forged.status()).toBe(401);
  // Rejections and "last matched" are written in the background within a few seconds.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByTestId('request-rejected').first()).toContainText('Bad signature', { timeout: 1_000 });
    await expect(page.getByTestId(`secret-row-••••••••${state.rotatedSecret!.slice(-4)}`)).toContainText('Last matched', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId('request-accepted').first().getByTestId('event-link')).toHaveAttribute('href', `/events/${eventId}`);
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('source-detail.png'), fullPage: true });
  // A small laptop screen: nothing overflows the page.
  await page.setViewportSize({ width: 1024, height: 768 });
  await settle(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  await page.screenshot({ path: testInfo.outputPath('source-detail-1024.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  // The route preview now shows the test event as matched.
  await page.goto(`/destinations/${state.destinationId}`);
  await page.getByRole('button', { name: /^Edit route from / }).click();
  const routeDialog = page.getByRole('dialog');
  await expect(routeDialog.getByTestId('route-preview-summary')).toHaveText('1 of the last 1 events would match.');
  await routeDialog.getByLabel('Event types').fill('customer.*');
  await routeDialog.getByRole('button', { name: 'Preview' }).click();
  await expect(routeDialog.getByTestId('route-preview-summary')).toHaveText('0 of the last 1 events would match.');
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('destination-route-preview.png') });
  await routeDialog.getByRole('button', { name: 'Cancel' }).click();

  // Health counters are flushed once a second; the page shows the delivery.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('stat-success')).toContainText('100%', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId('stat-attempts')).toContainText('0 failed');
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('destination-detail.png'), fullPage: true });

  await page.goto('/destinations');
  await expect(page.getByTestId(`destination-row-${destinationName}`)).toContainText('100%');
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('destinations-list.png'), fullPage: true });
  await page.goto('/sources');
  await expect(page.getByTestId(`source-row-${sourceSlug}`)).toBeVisible();
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('sources-list.png'), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('sources-list-1024.png'), fullPage: true });
});

test('a VIEWER reads the pages without secret values or controls, and a server action is refused', async ({ page, browser }, testInfo) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = `viewer-${suffix}@e2e.test`;
  const password = `viewer-password-${suffix}-long`;
  const created = await page.request.post('/api/v1/users', { data: { email, role: 'VIEWER', password } });
  expect(created.status()).toBe(201);

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, email, password);
  await viewer.goto(`/sources/${state.sourceId}`);
  await expect(viewer.getByRole('heading', { name: sourceName, level: 1 })).toBeVisible();
  await expect(viewer.getByTestId(`secret-row-${maskOf(firstSecret)}`)).toBeVisible();
  for (const name of [/^Reveal/, /^Rotate/, /^Revoke/, 'Add secret', 'Send test event', 'Disable', 'Edit']) {
    await expect(viewer.getByRole('button', { name })).toHaveCount(0);
  }
  const html = await viewer.content();
  expect(html).not.toContain(firstSecret);
  expect(html).not.toContain(state.rotatedSecret!);
  await settle(viewer);
  await viewer.screenshot({ path: testInfo.outputPath('viewer-source-detail.png'), fullPage: true });

  // The same reveal the admin made, replayed with the viewer's session: the server says no.
  const action = state.revealAction!;
  const headers = Object.fromEntries(
    Object.entries(action.headers).filter(([name]) => !name.startsWith(':') && !['cookie', 'content-length', 'host'].includes(name)),
  );
  const replay = await viewer.request.post(action.url, { headers, data: action.body });
  const answer = await replay.text();
  expect(answer).toContain('forbidden');
  expect(answer).not.toContain(firstSecret);

  await viewer.goto(`/destinations/${state.destinationId}`);
  await expect(viewer.getByRole('heading', { name: destinationName, level: 1 })).toBeVisible();
  for (const name of ['Pause', 'Add route', /^Edit route/, /^Rotate/, /^Reveal/, 'Edit']) {
    await expect(viewer.getByRole('button', { name })).toHaveCount(0);
  }
  // Header values often carry tokens: masked for everyone but admins.
  await expect(viewer.locator('body')).not.toContainText('from-hookyard-e2e');
  await settle(viewer);
  await viewer.screenshot({ path: testInfo.outputPath('viewer-destination-detail.png'), fullPage: true });

  await viewer.goto('/sources/new');
  await expect(viewer.getByRole('alert').filter({ hasText: 'This page needs the ADMIN role' })).toBeVisible();
  await viewerContext.close();
});
