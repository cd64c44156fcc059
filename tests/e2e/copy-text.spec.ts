import { expect, test } from '@playwright/test';
import { post, signIn } from './support/dashboard';

/** Counts a support engineer reads, pluralised: "1 attempt", never "1 attempts". */

test('the retry schedule summary reads correctly for one attempt and for several', async ({ page }) => {
  await signIn(page);
  await page.goto('/destinations/new');
  const summary = page.getByText(/^\d+ attempts?,/);
  await expect(summary).toHaveText('8 attempts, the last about 1 d 3 h after the first.');
  while ((await page.getByRole('button', { name: /^Remove attempt/ }).count()) > 1) {
    await page
      .getByRole('button', { name: /^Remove attempt/ })
      .last()
      .click();
  }
  await expect(summary).toHaveText('1 attempt, no retries.');
  await page.getByRole('button', { name: '+ Add attempt' }).click();
  await page.getByLabel('Attempt 2', { exact: true }).fill('0');
  await expect(summary).toHaveText('2 attempts, all at once.');
});

test('an alert for a delivery that gave up after one attempt says "1 attempt"', async ({ page }) => {
  await signIn(page);
  const api = page.request;
  const run = Date.now().toString(36);
  const source = await post(api, '/api/v1/sources', { name: `Copy source ${run}`, provider: 'none' });
  const broken = await post(api, '/api/v1/destinations', { name: `Copy broken ${run}`, url: 'http://127.0.0.1:9/hooks', retrySchedule: [0] });
  await post(api, '/api/v1/routes', { sourceId: source.id, destinationId: broken.id });
  expect((await api.post(`/api/ingest/${source.slug}`, { data: { hello: 'world' } })).status()).toBe(202);
  await expect
    .poll(async () => ((await (await api.get(`/api/v1/alerts?status=open&destinationId=${broken.id}`)).json()) as { data: unknown[] }).data.length, {
      timeout: 60_000,
    })
    .toBeGreaterThan(0);
  await page.goto('/alerts');
  const row = page.locator('tr', { hasText: `Copy broken ${run}` });
  await expect(row).toContainText('A delivery failed after 1 attempt (');
  await expect(row).not.toContainText('1 attempts');
});

test('a destination and a source with one of everything say "1 attempt" and "1 request", never "1 attempts"', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const api = page.request;
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const source = await post(api, '/api/v1/sources', { name: `One source ${run}`, provider: 'none', rateLimitPerSecond: 1 });
  const name = `One attempt ${run}`;
  const destination = await post(api, '/api/v1/destinations', { name, url: 'http://127.0.0.1:9/hooks', retrySchedule: [0], maxConcurrency: 1 });
  await post(api, '/api/v1/routes', { sourceId: source.id, destinationId: destination.id });
  expect((await api.post(`/api/ingest/${source.slug}`, { data: { hello: 'world' } })).status()).toBe(202);
  await expect
    .poll(async () => ((await (await api.get(`/api/v1/deliveries?destinationId=${destination.id}&status=failed`)).json()) as { data: unknown[] }).data.length, {
      timeout: 30_000,
    })
    .toBe(1);

  await page.goto(`/destinations/${destination.id}`);
  await expect(page.getByText('1 attempt: immediately', { exact: true })).toBeVisible();
  await expect(page.getByText('1 request in flight', { exact: true })).toBeVisible();
  // The sparklines read the per-minute counters, which the worker flushes every few seconds.
  const destinationSparkline = page.getByTestId('stat-success').locator('svg[aria-label]');
  await expect(async () => {
    await page.reload();
    await expect(destinationSparkline).toHaveAttribute('aria-label', '1 attempt in the last 24 hours, 1 failed, by hour', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await page.goto('/destinations');
  await expect(page.getByTestId(`destination-row-${name}`).locator('svg[aria-label]')).toHaveAttribute(
    'aria-label',
    '1 attempt in the last 24 hours, 1 failed',
  );

  await page.goto(`/sources/${source.id}`);
  await expect(page.getByText('1 request per second', { exact: true })).toBeVisible();
  const sourceSparkline = page.getByTestId('stat-received').locator('svg[aria-label]');
  await expect(async () => {
    await page.reload();
    await expect(sourceSparkline).toHaveAttribute('aria-label', '1 request in the last 24 hours, by hour', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await page.goto('/sources');
  await expect(page.locator('tr', { hasText: `One source ${run}` }).locator('svg[aria-label]')).toHaveAttribute(
    'aria-label',
    '1 request in the last 24 hours, by hour',
  );
});
