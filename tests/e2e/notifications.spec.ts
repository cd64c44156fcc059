/**
 * Notifications as an admin sets them up, end to end against the real server (dashboard, ingest
 * and the worker's dispatcher): on Settings → Notifications, create a webhook channel pointed at a
 * local receiver, copy its signing secret, send a test message and see it arrive signed; then a
 * destination that refuses connections raises an alert, the worker sends the channel one
 * `alert.raised`, and the alert's page shows that notification in its history.
 */
import { randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { type Sink, startSink, waitFor } from '../support/sink';
import { post, signIn } from './support/dashboard';

let sink: Sink;

/** axe-core's serious and critical findings on the page as it is now (the page-wide walk sees this page before it has channels). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

test.beforeAll(async () => {
  sink = await startSink();
});

test.afterAll(async () => {
  await sink.close();
});

test('an admin creates a webhook channel, tests it, and sees an alert notified in its history', async ({ page }) => {
  test.setTimeout(120_000);
  const run = randomBytes(3).toString('hex');
  const channelName = `Ops hook ${run}`;
  const path = `/hookyard-alerts-${run}`;
  await signIn(page);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();

  const form = page.getByRole('form', { name: 'Add a notification channel' });
  await form.getByLabel('Name').fill(channelName);
  await form.getByLabel('Type').selectOption('webhook');
  await form.getByLabel('Webhook URL').fill(`${sink.url}${path}`);
  await expect(form.getByRole('radio', { name: /All kinds/ })).toBeChecked();
  await form.getByRole('button', { name: 'Add channel' }).click();
  const secret = (await page.getByTestId('new-channel-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^whsec_/);

  const item = page.locator('li', { has: page.getByRole('heading', { name: channelName }) });
  await expect(item).toContainText('All alert kinds');
  await expect(item).toContainText('Nothing sent yet');
  await expect(item).not.toContainText(path);
  await item.getByRole('button', { name: `Send test message to ${channelName}` }).click();
  await expect(item.getByTestId('test-outcome')).toHaveText(/Test message delivered \(HTTP 200\)/);
  await expect(item).toContainText('Working');
  expect(await seriousViolations(page)).toEqual([]);
  const testMessage = sink.received.find((request) => request.path === path)!;
  expect(new Webhook(secret).verify(testMessage.body.toString('utf8'), testMessage.headers as Record<string, string>)).toMatchObject({
    type: 'notification.test',
  });

  // A destination that refuses connections and gives up at once raises delivery_exhausted.
  const api = page.request;
  const source = await post(api, '/api/v1/sources', { name: `Notify source ${run}`, provider: 'none' });
  const broken = await post(api, '/api/v1/destinations', { name: `Notify broken ${run}`, url: 'http://127.0.0.1:9/hooks', retrySchedule: [0] });
  await post(api, '/api/v1/routes', { sourceId: source.id, destinationId: broken.id });
  expect((await api.post(`/api/ingest/${source.slug}`, { data: { id: `evt_${run}`, type: 'order.created' } })).status()).toBe(202);

  // The worker's dispatcher sends it: one alert.raised, signed, about that destination.
  const raised = await waitFor(
    () =>
      sink.received
        .filter((request) => request.path === path)
        .map(
          (request) =>
            new Webhook(secret).verify(request.body.toString('utf8'), request.headers as Record<string, string>) as {
              type: string;
              alert?: { id: string; target: { name: string } };
            },
        )
        .find((payload) => payload.type === 'alert.raised' && payload.alert?.target.name === `Notify broken ${run}`),
    60_000,
    'the alert.raised notification',
  );
  const alertId = raised.alert!.id;

  await page.goto('/alerts');
  await page.getByTestId(`alert-row-${alertId}`).getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/alerts/${alertId}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Delivery gave up' })).toBeVisible();
  await expect(page.getByTestId('alert-facts')).toContainText(`Destination Notify broken ${run}`);
  const history = page.getByRole('table', { name: 'Notifications of this alert, oldest first' });
  const row = history.getByRole('row', { name: new RegExp(channelName) });
  await expect(row).toContainText('Webhook');
  await expect(row).toContainText('Raised');
  await expect(row).toContainText('Sent');
  await expect(row.getByRole('cell').nth(3)).toHaveText('1');
});

test('an admin edits, disables and deletes a channel, the deletion asked first in the app dialog', async ({ page }) => {
  const run = randomBytes(3).toString('hex');
  const name = `Team Slack ${run}`;
  await signIn(page);
  const created = await post(page.request, '/api/v1/notification-channels', { name, type: 'slack', url: `${sink.url}/services/T1/B1/${run}secretpart` });
  expect(created).not.toHaveProperty('signingSecret');
  await page.goto('/settings/notifications');
  const item = page.locator('li', { has: page.getByRole('heading', { name }) });
  await expect(item).toContainText(`${sink.url}/…part`);

  await item.getByRole('button', { name: `Edit ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${name}` });
  await expect(dialog).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('radio', { name: 'Only these' }).check();
  await dialog.getByRole('checkbox', { name: 'Circuit open' }).check();
  await dialog.getByRole('checkbox', { name: 'Delivery gave up' }).check();
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog).toBeHidden();
  await expect(item).toContainText('Kinds: Delivery gave up, Circuit open');

  await item.getByRole('button', { name: `Disable ${name}` }).click();
  await expect(item.getByText('Disabled', { exact: true })).toBeVisible();
  await expect(item.getByRole('button', { name: `Enable ${name}` })).toBeVisible();

  await item.getByRole('button', { name: `Delete ${name}` }).click();
  const confirm = page.getByRole('dialog', { name: `Delete ${name}?` });
  await expect(confirm).toContainText('disable it instead');
  await confirm.getByRole('button', { name: 'Delete channel' }).click();
  await expect(page.getByRole('heading', { name })).toHaveCount(0);
  expect((await page.request.get(`/api/v1/notification-channels/${created.id}`)).status()).toBe(404);
});
