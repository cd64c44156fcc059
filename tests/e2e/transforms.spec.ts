/**
 * Route transforms through the dashboard, against the real built server (next build output, the
 * worker and its sandbox threads): an admin opens a route's editor, tries a broken transform on a
 * recent event and sees the error with its line, has a transform that does not compile refused
 * at save time with the API's message under the code, tries a working one and sees the body,
 * headers and logs it would send, and saves it. The next event reaches a local receiver
 * transformed (and signed over the transformed body), and its page shows the transformed request
 * beside the original. A transform that returns null cancels the delivery with the reason shown;
 * one that throws fails it with the message and line on the attempt; the source's page edits the
 * same route. The open editor with its results has no serious axe violations.
 */
import { randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { type Sink, startSink, waitFor } from '../support/sink';
import { post, signIn } from './support/dashboard';

test.describe.configure({ mode: 'serial' });

const suffix = randomBytes(3).toString('hex');
const sourceName = `Shop transforms ${suffix}`;
const destinationName = `Orders receiver ${suffix}`;

const BROKEN_AT_RUN = `function transform(event) {
  const customer = event.body.customer;
  if (!customer.vip) throw new Error('not a VIP: ' + customer.email);
  return event;
}`;

const BROKEN_AT_COMPILE = `function transform(event) {
  return event.body.;
}`;

const WORKING = `function transform(event) {
  console.log('order', event.body.id, 'amount', event.body.amount);
  if (event.body.test) return null;
  event.headers['x-order-total'] = (event.body.amount / 100).toFixed(2);
  event.body = { kind: event.eventType, total: event.body.amount / 100, email: event.body.customer.email };
  return event;
}`;

const state: { sourceId?: string; slug?: string; destinationId?: string; signingSecret?: string } = {};
let sink: Sink;

async function ingest(page: Page, body: Record<string, unknown>): Promise<string> {
  const response = await page.request.post(`/api/ingest/${state.slug}`, { data: body });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function openEditor(page: Page) {
  await page.goto(`/destinations/${state.destinationId}`);
  await page.getByRole('button', { name: `Edit route from ${sourceName}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit route from ${sourceName}` });
  await expect(dialog).toBeVisible();
  return dialog;
}

test.beforeAll(async () => {
  sink = await startSink();
});

test.afterAll(async () => {
  await sink?.close();
});

test('an admin tries transforms on a recent event, sees errors with their line, and saves a working one', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page);
  const api = page.request;
  const source = await post(api, '/api/v1/sources', { name: sourceName, provider: 'none', eventTypeJsonPath: 'type', dedupJsonPath: 'id' });
  state.sourceId = source.id;
  state.slug = source.slug;
  const destination = await post(api, '/api/v1/destinations', { name: destinationName, url: `${sink.url}/orders`, retrySchedule: [0, 1] });
  state.destinationId = destination.id;
  state.signingSecret = destination.signingSecret;
  await post(api, '/api/v1/routes', { sourceId: source.id, destinationId: destination.id });
  // Two recent events, the newest first in the picker.
  await ingest(page, { id: `ord_old_${suffix}`, type: 'order.updated', amount: 100, customer: { email: 'old@example.test' } });
  await ingest(page, { id: `ord_1_${suffix}`, type: 'order.created', amount: 4200, customer: { email: 'ada@example.test' } });

  const dialog = await openEditor(page);
  const picker = dialog.getByLabel('Event', { exact: true });
  await expect(picker.locator('option')).toHaveCount(2);
  await expect(picker.locator('option').first()).toContainText(`order.created · ord_1_${suffix}`);
  await expect(picker.locator('option').nth(1)).toContainText('order.updated');

  // A transform that throws: the error and its line, nothing sent.
  const code = dialog.getByLabel('Transform (JavaScript, optional)');
  await code.fill(BROKEN_AT_RUN);
  await dialog.getByRole('button', { name: 'Run transform' }).click();
  const error = dialog.getByTestId('transform-test-error');
  await expect(error).toContainText('Transform error on line 3');
  await expect(error).toContainText('not a VIP: ada@example.test');

  // One that does not compile is refused at save time, with the API's message under the code.
  await code.fill(BROKEN_AT_COMPILE);
  await dialog.getByRole('button', { name: 'Save route' }).click();
  await expect(dialog.getByTestId('transform-error')).toContainText(/SyntaxError.*line 2/);
  await expect(code).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog).toBeVisible();

  // A working one: what would be sent (headers, body) and the logs.
  await code.fill(WORKING);
  await expect(dialog.getByTestId('transform-error')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Run transform' }).click();
  const result = dialog.getByTestId('transform-test-result');
  await expect(result).toContainText('What would be sent');
  await expect(result).toContainText('Body changed');
  await expect(result.getByTestId('transform-sent-headers')).toContainText('x-order-total');
  await expect(result.getByTestId('transform-sent-headers')).toContainText('42.00');
  await result.getByTestId('transform-sent-body').getByRole('button', { name: 'Raw' }).click();
  await expect(result.getByTestId('transform-sent-body')).toContainText('{"kind":"order.created","total":42,"email":"ada@example.test"}');
  await expect(result.getByTestId('transform-logs')).toHaveText(`order ord_1_${suffix} amount 4200`);

  // The other event, picked from the list, runs too.
  await picker.selectOption({ index: 1 });
  await dialog.getByRole('button', { name: 'Run transform' }).click();
  await expect(result.getByTestId('transform-logs')).toHaveText(`order ord_old_${suffix} amount 100`);

  const axe = await new AxeBuilder({ page }).include('dialog[open]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  expect(axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath('route-editor-transform.png'), fullPage: true });

  await dialog.getByRole('button', { name: 'Save route' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId(`route-${state.slug}`);
  await row.getByText('Transform', { exact: true }).click();
  await expect(row).toContainText("event.headers['x-order-total']");
  const saved = (await (await api.get(`/api/v1/routes?destinationId=${state.destinationId}`)).json()) as { data: { transform: string | null }[] };
  expect(saved.data[0]?.transform).toBe(WORKING);
});

test('the next event is delivered transformed, and its page shows the transformed request beside the original', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await signIn(page);
  const eventId = await ingest(page, { id: `ord_2_${suffix}`, type: 'order.created', amount: 1999, customer: { email: 'grace@example.test' } });

  const received = await waitFor(() => sink.received.find((request) => JSON.parse(request.body.toString()).email === 'grace@example.test'), 20_000);
  expect(JSON.parse(received.body.toString())).toEqual({ kind: 'order.created', total: 19.99, email: 'grace@example.test' });
  expect(received.headers['x-order-total']).toBe('19.99');
  expect(received.headers['content-type']).toBe('application/json');
  // Signed over the transformed body: any Standard Webhooks library accepts it.
  const headers = Object.fromEntries(Object.entries(received.headers).map(([name, value]) => [name, String(value)]));
  expect(() => new Webhook(state.signingSecret!).verify(received.body.toString(), headers)).not.toThrow();

  await page.goto(`/events/${eventId}`);
  const delivery = page.locator(`[data-testid="delivery"][data-destination="${destinationName}"]`);
  await expect(delivery).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 });
  const sent = delivery.getByTestId('sent-request');
  await expect(sent).toHaveAttribute('data-transformed', 'true');
  const transformed = sent.getByTestId('transformed-request');
  const original = sent.getByTestId('original-request');
  await expect(transformed).toBeVisible();
  await expect(original).toBeVisible();
  await expect(transformed).toContainText('Transformed by the route');
  await expect(original).toContainText('Original');
  await transformed.getByRole('button', { name: 'Raw' }).click();
  await expect(transformed).toContainText('{"kind":"order.created","total":19.99,"email":"grace@example.test"}');
  await expect(transformed.getByTestId('sent-headers')).toContainText('x-order-total');
  await original.getByRole('button', { name: 'Raw' }).click();
  await expect(original).toContainText(`"amount":1999`);
  await expect(original).not.toContainText('x-order-total');
  await page.screenshot({ path: testInfo.outputPath('event-transformed.png'), fullPage: true });
});

test('a transform that returns null cancels the delivery, and the event page says why', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page);
  const eventId = await ingest(page, { id: `ord_test_${suffix}`, type: 'order.created', amount: 1, test: true, customer: { email: 'test@example.test' } });
  await page.goto(`/events/${eventId}`);
  const delivery = page.locator(`[data-testid="delivery"][data-destination="${destinationName}"]`);
  await expect(delivery).toHaveAttribute('data-status', 'cancelled', { timeout: 20_000 });
  await expect(delivery.getByTestId('cancel-reason')).toContainText("the route's transform returned null");
});

test('a transform that throws fails the delivery at once, and the attempt shows the message with its line', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page);
  const api = page.request;
  const routes = (await (await api.get(`/api/v1/routes?destinationId=${state.destinationId}`)).json()) as { data: { id: string }[] };
  const patched = await api.patch(`/api/v1/routes/${routes.data[0]!.id}`, { data: { transform: BROKEN_AT_RUN } });
  expect(patched.status()).toBe(200);
  const eventId = await ingest(page, { id: `ord_3_${suffix}`, type: 'order.created', amount: 5, customer: { email: 'lin@example.test' } });
  await page.goto(`/events/${eventId}`);
  const delivery = page.locator(`[data-testid="delivery"][data-destination="${destinationName}"]`);
  await expect(delivery).toHaveAttribute('data-status', 'failed', { timeout: 20_000 });
  const attempt = delivery.getByTestId('attempt');
  await expect(attempt).toHaveCount(1);
  await expect(attempt).toContainText('Transform error: Error: not a VIP: lin@example.test (line 3)');
  await expect(attempt.getByTestId('transform-error-hint')).toBeVisible();
  await expect(attempt.getByTestId('sent-request')).toHaveCount(0);
});

test("the source's page edits the same route: the saved code is there to fix, and the fix is saved", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page);
  await page.goto(`/sources/${state.sourceId}`);
  await page.getByRole('button', { name: `Edit route to ${destinationName}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit route to ${destinationName}` });
  const code = dialog.getByLabel('Transform (JavaScript, optional)');
  await expect(code).toHaveValue(BROKEN_AT_RUN);
  await code.fill(WORKING);
  await dialog.getByRole('button', { name: 'Run transform' }).click();
  await expect(dialog.getByTestId('transform-logs')).toHaveText(`order ord_3_${suffix} amount 5`);
  await dialog.getByRole('button', { name: 'Save route' }).click();
  await expect(dialog).toBeHidden();
  const routes = (await (await page.request.get(`/api/v1/routes?destinationId=${state.destinationId}`)).json()) as { data: { transform: string | null }[] };
  expect(routes.data[0]?.transform).toBe(WORKING);
});
