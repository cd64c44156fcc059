/**
 * Support work end to end against the real server (ingest, worker, dashboard): an admin sets up a
 * Stripe source, a destination that fails twice before it succeeds and one that keeps failing,
 * and routes the source to both; a correctly signed Stripe request appears in the already-open
 * events explorer without a reload, and its page shows the attempts (500, 500, 200), the body as
 * text only (an XSS string stays text) and which secret verified it. A SUPPORT user then finds
 * the failed deliveries in the queue, replays one by selection and the rest in bulk once the
 * receiver is fixed, and sees them succeed, but cannot reveal a secret. A VIEWER sees the replay
 * controls disabled, and the server refuses a replay action sent with the viewer's session.
 * Every page is screenshotted into the test output.
 */
import { randomBytes } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import Stripe from 'stripe';
import { E2E_ADMIN } from './support/credentials';
import { type Sink, startSink } from '../support/sink';

test.describe.configure({ mode: 'serial' });

const suffix = randomBytes(3).toString('hex');
const sourceName = `Stripe replay ${suffix}`;
const sourceSlug = `stripe-replay-${suffix}`;
const flakyName = `Flaky receiver ${suffix}`;
const downName = `Down receiver ${suffix}`;
const signingSecret = `whsec_e2eReplay${randomBytes(12).toString('hex')}`;
const XSS = '<img src=x onerror=alert(1)>';

const state: {
  sourceId?: string;
  ingestUrl?: string;
  flakyId?: string;
  downId?: string;
  firstEventId?: string;
  secondEventId?: string;
  support?: { email: string; password: string };
  startReplayAction?: { url: string; headers: Record<string, string>; body: string };
} = {};
let sink: Sink;
let downStatus = 500;

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toHaveText(email);
}

/** Lets local times and relative labels fill in after hydration before a screenshot. */
async function settle(page: Page) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(200);
}

function signedStripeRequest(event: Record<string, unknown>) {
  const payload = JSON.stringify(event);
  const signature = new Stripe('sk_test_x').webhooks.generateTestHeaderString({ payload, secret: signingSecret });
  return {
    payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
  };
}

/** What a provider does: a plain POST to the ingest URL, from outside the browser (no dashboard cookies). */
async function postToIngest(request: { payload: string; headers: Record<string, string> }): Promise<{ status: number; id: string }> {
  const response = await fetch(state.ingestUrl!, { method: 'POST', headers: request.headers, body: request.payload });
  const answer = (await response.json()) as { id: string };
  return { status: response.status, id: answer.id };
}

/** Creates a destination through the form with a short retry schedule (seconds), and routes the source to it. */
async function createDestination(page: Page, name: string, path: string, schedule: number[]): Promise<string> {
  await page.goto('/destinations/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('URL', { exact: true }).fill(`${sink.url}${path}`);
  // The default schedule has 8 attempts; keep as many as asked, each in seconds.
  while ((await page.getByRole('button', { name: /^Remove attempt \d+$/ }).count()) > schedule.length) {
    await page.getByRole('button', { name: `Remove attempt ${schedule.length + 1}` }).click();
  }
  for (const [index, seconds] of schedule.entries()) {
    await page.getByLabel(`Attempt ${index + 1}`, { exact: true }).fill(String(seconds));
    await page.getByLabel(`Unit of attempt ${index + 1}`).selectOption('s');
  }
  await page.getByRole('button', { name: 'Create destination' }).click();
  await expect(page.getByTestId('new-signing-secret')).toBeVisible();
  await page.getByRole('link', { name: 'Continue to the destination →' }).click();
  await expect(page).toHaveURL(/\/destinations\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;

  await page.getByRole('button', { name: 'Add route' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add a route' });
  await dialog.getByLabel('Source', { exact: true }).selectOption(state.sourceId!);
  await dialog.getByRole('button', { name: 'Add route' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId(`route-${sourceSlug}`)).toBeVisible();
  return id;
}

test.beforeAll(async () => {
  sink = await startSink();
  sink.on('/flaky', (n) => (n <= 2 ? 500 : 200));
  sink.on('/down', () => downStatus);
});

test.afterAll(async () => {
  await sink?.close();
});

test('a signed Stripe event appears live in the explorer, and its page shows attempts 500, 500, 200', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);

  // A Stripe source with a labelled secret, through the sources pages.
  await page.goto('/sources/new');
  await page.getByLabel('Provider', { exact: true }).selectOption('stripe');
  await page.getByLabel('Name', { exact: true }).fill(sourceName);
  await page.getByLabel('Slug').fill(sourceSlug);
  await page.getByRole('button', { name: 'Create source' }).click();
  await expect(page).toHaveURL(/\/sources\/[0-9a-f-]{36}$/);
  state.sourceId = page.url().split('/').pop();
  await page.getByRole('button', { name: 'Add secret' }).first().click();
  const addDialog = page.getByRole('dialog', { name: 'Add a secret' });
  await addDialog.getByLabel('Signing secret (whsec_…)').fill(signingSecret);
  await addDialog.getByLabel('Label').fill('Stripe dashboard (e2e)');
  await addDialog.getByRole('button', { name: 'Add secret' }).click();
  await expect(addDialog.getByTestId('new-secret-value')).toHaveText(signingSecret);
  await addDialog.getByRole('button', { name: 'Done' }).click();
  state.ingestUrl = (await page.getByTestId('ingest-url').first().textContent())?.trim();
  expect(state.ingestUrl).toMatch(new RegExp(`/api/ingest/${sourceSlug}$`));

  // Two destinations routed from it: one fails twice then succeeds (0 s, 1 s, 1 s), one keeps failing (0 s, 1 s).
  state.flakyId = await createDestination(page, flakyName, '/flaky', [0, 1, 1]);
  state.downId = await createDestination(page, downName, '/down', [0, 1]);

  // The explorer, already open on this source, before anything arrives.
  await page.goto(`/events?sourceId=${state.sourceId}`);
  await expect(page.getByRole('heading', { name: 'Events', level: 1 })).toBeVisible();
  await expect(page.getByText('No events match these filters')).toBeVisible();
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('events-empty.png'), fullPage: true });
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

  const { payload, headers } = signedStripeRequest({
    id: `evt_replay_${suffix}_1`,
    object: 'event',
    type: 'invoice.payment_failed',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: `in_${suffix}`,
        object: 'invoice',
        amount_due: 4200,
        currency: 'eur',
        customer: `cus_${suffix}`,
        description: XSS,
        lines: [{ id: 'il_1', amount: 4200 }],
      },
    },
  });
  const accepted = await postToIngest({ payload, headers });
  expect(accepted.status).toBe(202);
  state.firstEventId = accepted.id;

  // It appears at the top without a reload, highlighted as new.
  const row = page.locator(`[data-testid="event-row"][data-event-id="${state.firstEventId}"]`);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row).toContainText('invoice.payment_failed');
  await expect(row).toContainText(sourceName);
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  // The badges move on as the worker delivers (one destination succeeds, the other fails).
  await expect(row).toContainText('1 succeeded', { timeout: 20_000 });
  await expect(row).toContainText('1 failed', { timeout: 20_000 });
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('events-live.png'), fullPage: true });

  // The detail: three attempts to the flaky receiver, 500, 500, then 200.
  await row.click();
  await expect(page).toHaveURL(new RegExp(`/events/${state.firstEventId}$`));
  const flaky = page.locator(`[data-testid="delivery"][data-destination="${flakyName}"]`);
  await expect(flaky).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 });
  await expect(flaky.getByTestId('attempt')).toHaveCount(3);
  expect(await flaky.getByTestId('attempt').evaluateAll((items) => items.map((item) => item.getAttribute('data-status')))).toEqual(['500', '500', '200']);
  const down = page.locator(`[data-testid="delivery"][data-destination="${downName}"]`);
  await expect(down).toHaveAttribute('data-status', 'failed', { timeout: 20_000 });
  await expect(down.getByTestId('attempt')).toHaveCount(2);

  // Verified by the labelled secret, shown by its hint only.
  await expect(page.getByTestId('verification')).toContainText('Verified');
  await expect(page.getByTestId('verification')).toContainText('Stripe dashboard (e2e)');
  await expect(page.getByTestId('verification')).toContainText(signingSecret.slice(-4));
  expect(await page.content()).not.toContain(signingSecret);
  await expect(page.getByTestId('request-headers')).toContainText('stripe-signature');
  await expect(page.getByTestId('request-headers')).toContainText('Stripe/1.0');

  // The body: a tree of text. The XSS string is shown as characters and never becomes an element.
  const body = page.getByTestId('request-body');
  const tree = body.getByTestId('json-tree');
  await expect(tree).toContainText(`"description": "${XSS}"`);
  await expect(tree).toContainText(`"in_${suffix}"`);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  // Deep lists start closed and open on demand.
  await expect(tree).toContainText('… 1 item ]');
  await body.getByRole('button', { name: 'Expand lines' }).click();
  await body.getByRole('button', { name: 'Expand item 0' }).click();
  await expect(tree).toContainText('"id": "il_1"');
  await body.getByRole('button', { name: 'Raw' }).click();
  await expect(body.getByTestId('raw-body')).toHaveText(payload);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('event-detail-raw.png'), fullPage: true });
  await body.getByRole('button', { name: 'Tree' }).click();

  // A failed attempt's response opens with its headers and body (again as text).
  await flaky.getByTestId('attempt').first().locator('summary', { hasText: 'Response' }).click();
  await expect(flaky.getByTestId('attempt').first()).toContainText('x-sink-request');
  await expect(flaky.getByTestId('attempt').first()).toContainText('<b>not markup</b>');
  await expect(page.locator('b', { hasText: 'not markup' })).toHaveCount(0);
  expect(dialogs).toEqual([]);
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('event-detail.png'), fullPage: true });

  // A path=value search from the tree finds the event again.
  await page.goto(`/events?q=${encodeURIComponent(`data.object.customer=cus_${suffix}`)}`);
  await expect(page.locator(`[data-testid="event-row"][data-event-id="${state.firstEventId}"]`)).toBeVisible();
  await expect(page.getByTestId('event-row')).toHaveCount(1);
  await settle(page);
  await page.screenshot({ path: testInfo.outputPath('events-search.png'), fullPage: true });
});

test('a SUPPORT user replays failed deliveries from the queue once the receiver is fixed, and cannot reveal a secret', async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = `support-replay-${suffix}@e2e.test`;
  const created = await page.request.post('/api/v1/users', { data: { email, role: 'SUPPORT' } });
  expect(created.status()).toBe(201);
  state.support = { email, password: ((await created.json()) as { password: string }).password };

  // A second event, which fails at the down receiver too.
  const second = signedStripeRequest({ id: `evt_replay_${suffix}_2`, object: 'event', type: 'invoice.paid', data: { object: { id: `in_${suffix}_2` } } });
  const accepted = await postToIngest(second);
  expect(accepted.status).toBe(202);
  state.secondEventId = accepted.id;
  await expect
    .poll(
      async () => {
        const event = (await (await page.request.get(`/api/v1/events/${state.secondEventId}`)).json()) as {
          deliveries: { destination: { id: string }; status: string }[];
        };
        return event.deliveries.find((delivery) => delivery.destination.id === state.downId)?.status;
      },
      { timeout: 20_000 },
    )
    .toBe('failed');

  const supportContext = await browser.newContext();
  const support = await supportContext.newPage();
  await signIn(support, email, state.support.password);
  await support.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed deliveries' }).click();
  await expect(support.getByRole('heading', { name: 'Failed deliveries', level: 1 })).toBeVisible();
  await support.getByLabel('Destination').selectOption(state.downId!);
  await expect(support).toHaveURL(new RegExp(`destinationId=${state.downId}`));
  const group = support.getByTestId('failed-group').filter({ hasText: downName });
  await expect(group).toHaveCount(1);
  await expect(group.getByTestId('group-count')).toHaveText('2');
  await expect(group).toContainText('HTTP 500 Internal Server Error');
  await group.getByRole('button', { expanded: false }).first().click();
  await expect(group.getByTestId('failed-delivery')).toHaveCount(2);
  await settle(support);
  await support.screenshot({ path: testInfo.outputPath('failed-queue.png'), fullPage: true });

  // The receiver is fixed. First one delivery by selection…
  downStatus = 200;
  await group.locator(`[data-testid="failed-delivery"][data-event-id="${state.secondEventId}"]`).getByRole('checkbox').check();
  await support.getByRole('button', { name: 'Replay 1 selected' }).click();
  const selectedDialog = support.getByRole('dialog', { name: 'Replay 1 delivery?' });
  await expect(selectedDialog.getByTestId('replay-count')).toContainText('1 selected');
  await selectedDialog.getByRole('button', { name: 'Replay 1 delivery' }).click();
  await expect(support.getByTestId('queue-notice')).toContainText('1 delivery sent again');
  // And how it ended, not only that it was sent: the receiver answers 200 now.
  const outcome = support.getByTestId('replay-outcome');
  await expect(outcome).toHaveAttribute('data-done', 'true', { timeout: 30_000 });
  await expect(outcome).toContainText('Replay finished: 1 succeeded, 0 failed again');
  await expect(support.getByTestId('failed-total')).toHaveText('1');

  // …then everything else that matches, in bulk: the count first, then progress until done.
  const startRequest = support.waitForRequest(
    (request) => request.method() === 'POST' && Boolean(request.headers()['next-action']) && (request.postData() ?? '').includes('ratePerSecond'),
  );
  await support.getByRole('button', { name: 'Replay all 1 that match' }).click();
  const bulkDialog = support.getByRole('dialog', { name: 'Replay everything that matches' });
  await expect(bulkDialog.getByTestId('replay-count')).toContainText('1 delivery will be sent again');
  await settle(support);
  await support.screenshot({ path: testInfo.outputPath('failed-replay-dialog.png'), fullPage: true });
  await bulkDialog.getByRole('button', { name: 'Replay 1 delivery' }).click();
  const captured = await startRequest;
  state.startReplayAction = { url: captured.url(), headers: await captured.allHeaders(), body: captured.postData() ?? '' };
  const progress = support.getByTestId('replay-progress');
  await expect(progress).toBeVisible();
  await expect(support).toHaveURL(/replay=[0-9a-f-]{36}/);
  await expect(progress).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
  await expect(progress.getByTestId('replay-processed')).toHaveText('1 of 1 re-sent');
  await expect(progress.getByTestId('replay-succeeded')).toHaveText('1 succeeded', { timeout: 30_000 });
  await expect(support.getByText('Nothing failed that matches these filters')).toBeVisible({ timeout: 15_000 });
  await settle(support);
  await support.screenshot({ path: testInfo.outputPath('failed-replay-done.png'), fullPage: true });

  // Both events now reached the down receiver: a newer delivery that succeeded, the failed one kept.
  for (const eventId of [state.firstEventId!, state.secondEventId!]) {
    await support.goto(`/events/${eventId}`);
    const deliveries = support.locator(`[data-testid="delivery"][data-destination="${downName}"]`);
    await expect(deliveries).toHaveCount(2);
    await expect(deliveries.first()).toHaveAttribute('data-status', 'failed');
    await expect(deliveries.last()).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 });
    await expect(deliveries.last()).toContainText(`asked for by ${email}`);
  }
  await settle(support);
  await support.screenshot({ path: testInfo.outputPath('event-detail-replayed.png'), fullPage: true });

  // SUPPORT never sees a secret value: no reveal on the source page, and the server refuses it.
  await support.goto(`/sources/${state.sourceId}`);
  await expect(support.getByRole('heading', { name: sourceName, level: 1 })).toBeVisible();
  await expect(support.getByRole('button', { name: /^Reveal/ })).toHaveCount(0);
  const source = (await (await page.request.get(`/api/v1/sources/${state.sourceId}`)).json()) as { secrets: { id: string }[] };
  expect(source.secrets.length).toBeGreaterThan(0);
  const reveal = await support.request.post(`/api/v1/secrets/${source.secrets[0]!.id}/reveal`);
  expect(reveal.status()).toBe(403);
  const refusal = await reveal.text();
  expect(refusal).toContain('forbidden');
  expect(refusal).not.toContain(signingSecret);
  expect(await support.content()).not.toContain(signingSecret);
  await supportContext.close();
});

test('a VIEWER sees the queue and the replay buttons but cannot use them, and the server refuses a replay action', async ({ page, browser }, testInfo) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const email = `viewer-replay-${suffix}@e2e.test`;
  const password = `viewer-password-${suffix}-long`;
  expect((await page.request.post('/api/v1/users', { data: { email, role: 'VIEWER', password } })).status()).toBe(201);

  // Something in the queue again: the down receiver breaks, and a third event fails there.
  downStatus = 500;
  const third = signedStripeRequest({ id: `evt_replay_${suffix}_3`, object: 'event', type: 'customer.updated', data: { object: { id: `cus_${suffix}` } } });
  const accepted = await postToIngest(third);
  expect(accepted.status).toBe(202);
  const thirdId = accepted.id;
  await expect
    .poll(
      async () => {
        const event = (await (await page.request.get(`/api/v1/events/${thirdId}`)).json()) as { deliveries: { destination: { id: string }; status: string }[] };
        return event.deliveries.find((delivery) => delivery.destination.id === state.downId)?.status;
      },
      { timeout: 20_000 },
    )
    .toBe('failed');

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, email, password);
  await viewer.goto(`/events/${state.firstEventId}`);
  const replayAll = viewer.getByRole('button', { name: 'Replay to all 2 destinations' });
  await expect(replayAll).toBeDisabled();
  await replayAll.locator('..').hover();
  await expect(viewer.getByRole('tooltip').first()).toBeVisible();
  await expect(viewer.getByRole('tooltip').first()).toContainText('SUPPORT or ADMIN');
  await settle(viewer);
  await viewer.screenshot({ path: testInfo.outputPath('viewer-event-detail.png'), fullPage: true });

  await viewer.goto('/failed');
  await expect(viewer.getByText(/^Read-only/)).toBeVisible();
  await expect(viewer.getByTestId('failed-group').filter({ hasText: downName })).toBeVisible();
  await expect(viewer.getByRole('button', { name: /^Replay all/ })).toBeDisabled();
  await expect(viewer.getByRole('checkbox')).toHaveCount(0);
  await settle(viewer);
  await viewer.screenshot({ path: testInfo.outputPath('viewer-failed-queue.png'), fullPage: true });

  // The bulk replay the SUPPORT user started, sent again with the viewer's session: refused.
  const action = state.startReplayAction!;
  const headers = Object.fromEntries(
    Object.entries(action.headers).filter(([name]) => !name.startsWith(':') && !['cookie', 'content-length', 'host'].includes(name)),
  );
  const replayed = await viewer.request.post(action.url, { headers, data: action.body });
  expect(await replayed.text()).toContain('forbidden');
  const replays = (await (await page.request.get('/api/v1/replays')).json()) as { data: { createdBy: string }[] };
  expect(replays.data.filter((replay) => replay.createdBy === email)).toEqual([]);
  await viewerContext.close();
});
