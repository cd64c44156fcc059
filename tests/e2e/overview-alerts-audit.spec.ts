import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { E2E_ADMIN } from './support/credentials';

/**
 * The overview, alerts and audit pages against real traffic: sources, destinations and routes are
 * created through the API with the admin's session, events go through the ingest route, the worker
 * delivers them (one destination answers 202, one refuses connections and gives up at once), and
 * the charts, the alert and the audit trail are then checked in the browser.
 */

async function signIn(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toHaveText(E2E_ADMIN.email);
}

async function post(api: APIRequestContext, path: string, data: unknown) {
  const response = await api.post(path, { data });
  expect(response.status(), `${path}: ${await response.text()}`).toBeLessThan(300);
  return response.json();
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test('overview charts, alert handling and the audit trail', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page);
  const api = page.request;
  const origin = new URL(page.url()).origin;
  const run = Date.now().toString(36);

  // Where deliveries go: a second "none" source of Hookyard itself answers 202, and port 9 refuses.
  const sink = await post(api, '/api/v1/sources', { name: `Loopback sink ${run}`, provider: 'none' });
  const shop = await post(api, '/api/v1/sources', { name: `E2E shop ${run}`, provider: 'none' });
  const healthy = await post(api, '/api/v1/destinations', { name: `Healthy receiver ${run}`, url: `${origin}/api/ingest/${sink.slug}` });
  const broken = await post(api, '/api/v1/destinations', { name: `Broken receiver ${run}`, url: 'http://127.0.0.1:9/hooks', retrySchedule: [0] });
  await post(api, '/api/v1/routes', { sourceId: shop.id, destinationId: healthy.id });
  await post(api, '/api/v1/routes', { sourceId: shop.id, destinationId: broken.id });

  // A token source without the token: rejected requests for the accepted-vs-rejected chart.
  const guarded = await post(api, '/api/v1/sources', { name: `Guarded ${run}`, provider: 'token' });
  await post(api, `/api/v1/sources/${guarded.id}/secrets`, {});

  for (let i = 0; i < 6; i++) {
    const response = await api.post(`/api/ingest/${shop.slug}`, { data: { id: `evt_${run}_${i}`, type: 'order.created', amount: i } });
    expect(response.status()).toBe(202);
  }
  for (let i = 0; i < 2; i++) {
    expect((await api.post(`/api/ingest/${guarded.slug}`, { data: { id: `bad_${i}` } })).status()).toBe(401);
  }

  // The worker delivers, counters flush about once a second, and the broken destination raises an alert.
  await expect
    .poll(
      async () => {
        const overview = await (await api.get('/api/v1/overview?range=1h')).json();
        return { received: overview.totals.received >= 8, succeeded: overview.totals.succeeded >= 6, failed: overview.totals.failed >= 6 };
      },
      { timeout: 60_000, intervals: [500, 1000] },
    )
    .toEqual({ received: true, succeeded: true, failed: true });
  // The totals above include other tests' traffic on the same server: wait for this test's own
  // broken destination too, so that it ranks among the failing ones below.
  await expect
    .poll(async () => (await (await api.get(`/api/v1/overview?range=1h&destinationId=${broken.id}`)).json()).totals.failed, {
      timeout: 60_000,
      intervals: [500, 1000],
    })
    .toBeGreaterThanOrEqual(6);
  let alertId = '';
  await expect
    .poll(
      async () => {
        const alerts = await (await api.get(`/api/v1/alerts?status=open&destinationId=${broken.id}`)).json();
        alertId = alerts.data.find((alert: { kind: string }) => alert.kind === 'delivery_exhausted')?.id ?? '';
        return alertId;
      },
      { timeout: 30_000 },
    )
    .not.toBe('');

  // Overview: every chart drew something, the failing destination and the alert are listed.
  await page.goto('/?range=1h');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  const area = page.getByTestId('chart-received').locator('path.recharts-area-area');
  await expect(area).toHaveAttribute('d', /\d/);
  await expect(page.getByTestId('chart-intake').locator('.recharts-bar-rectangle path').first()).toHaveAttribute('d', /\d/);
  await expect(page.getByTestId('chart-deliveries').locator('.recharts-bar-rectangle path').first()).toHaveAttribute('d', /\d/);
  await expect(page.getByTestId('chart-error-rate').locator('path.recharts-line-curve').first()).toHaveAttribute('d', /\d/);
  await expect(page.getByTestId('chart-latency').locator('path.recharts-line-curve').first()).toHaveAttribute('d', /\d/);
  await expect(page.getByTestId('failing-destinations')).toContainText(`Broken receiver ${run}`);
  await expect(page.getByTestId('open-alerts')).toContainText(`Broken receiver ${run}`);
  await expect(page.getByTestId('queue-depth')).toHaveText(/^\d[\d,]*\+?$/);
  await page.waitForTimeout(300); // relative times fill in after hydration
  await screenshot(page, 'overview-1h');

  // Before any script runs, the server has already drawn every chart (components/charts/static-chart.tsx):
  // the same data as paths, the value axis as labels, and no loading placeholder.
  const bare = await page.context().newPage();
  await bare.route('**/_next/static/chunks/**/*.js', (route) => route.abort());
  await bare.goto('/?range=1h');
  for (const chart of ['chart-received', 'chart-intake', 'chart-deliveries', 'chart-error-rate', 'chart-latency']) {
    const drawn = bare.getByTestId(chart).locator('[data-static-chart]');
    await expect(drawn.locator('path[d*="M"]').first(), chart).toBeAttached();
    await expect(drawn, chart).toContainText(/\d/);
  }
  await expect(bare.locator('main .animate-pulse')).toHaveCount(0);
  await expect(bare.getByTestId('chart-received').locator('.recharts-wrapper')).toHaveCount(0);
  await bare.close();

  // The range and the filter live in the URL.
  await page.getByRole('link', { name: 'Last 24 hours' }).click();
  await expect(page).toHaveURL(/range=24h/);
  await expect(page.getByRole('link', { name: 'Last 24 hours' })).toHaveAttribute('aria-current', 'page');
  await page.getByLabel('Show').selectOption({ label: `Broken receiver ${run}` });
  await expect(page).toHaveURL(new RegExp(`destinationId=${broken.id}`));
  await expect(page.getByText(`Showing Broken receiver ${run}`)).toBeVisible();
  await expect(page.getByTestId('chart-received')).toContainText('All sources'); // ingest counters are per source
  await screenshot(page, 'overview-24h-destination');

  // Alerts: acknowledge, then resolve; each step moves the alert to the next tab.
  await page.goto('/alerts');
  const openRow = page.getByTestId(`alert-row-${alertId}`);
  await expect(openRow).toContainText(`Broken receiver ${run}`);
  await screenshot(page, 'alerts-open');
  await openRow.getByRole('button', { name: /^Acknowledge/ }).click();
  await expect(openRow).toHaveCount(0);

  await page.getByRole('link', { name: /^Acknowledged/ }).click();
  const ackedRow = page.getByTestId(`alert-row-${alertId}`);
  await expect(ackedRow).toContainText(`Acknowledged by ${E2E_ADMIN.email}`);
  await ackedRow.getByRole('button', { name: /^Resolve/ }).click();
  await expect(ackedRow).toHaveCount(0);

  await page.getByRole('link', { name: /^Resolved/ }).click();
  const resolvedRow = page.getByTestId(`alert-row-${alertId}`);
  await expect(resolvedRow).toContainText(`Resolved by ${E2E_ADMIN.email}`);
  await expect(resolvedRow.getByRole('button')).toHaveCount(0);
  await page.waitForTimeout(300);
  await screenshot(page, 'alerts-resolved');

  // Resolving again through the API is a conflict.
  expect((await api.post(`/api/v1/alerts/${alertId}/resolve`)).status()).toBe(409);

  // Audit log: both actions, by the admin, filtered by action in the URL and through the form.
  await page.goto('/audit?action=alert.acknowledge');
  const ackEntry = page.getByTestId('audit-row').filter({ hasText: E2E_ADMIN.email });
  await expect(ackEntry).toHaveCount(1);
  await expect(ackEntry).toHaveAttribute('data-action', 'alert.acknowledge');
  await expect(ackEntry.getByTestId('audit-diff')).toContainText('status');
  await expect(ackEntry.getByTestId('audit-diff')).toContainText('acknowledged');

  await page.getByLabel('Action').selectOption('alert.resolve');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/action=alert\.resolve/);
  const resolveEntry = page.getByTestId('audit-row').filter({ hasText: E2E_ADMIN.email });
  await expect(resolveEntry).toHaveCount(1);
  await expect(resolveEntry).toHaveAttribute('data-action', 'alert.resolve');
  await page.waitForTimeout(300);
  await screenshot(page, 'audit-alert-resolve');

  await page.goto('/audit');
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await page.waitForTimeout(300);
  await screenshot(page, 'audit-all');
});
