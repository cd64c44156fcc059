import { expect, test } from '@playwright/test';
import { post, signIn } from './support/dashboard';

/**
 * A source that goes silent, as an admin sees it: they set "expect an event at least every 10
 * seconds" on the source page, the source gets one event and then nothing, and the worker's alert
 * rules (evaluated every 2 s in the browser tests, tests/e2e/support/start-server.ts) notice. The
 * sources list shows it silent, and the Alerts page lists the source_silent alert, naming and
 * linking the source.
 */
test('an admin watches a source for silence; when it goes quiet the list shows it and an alert names it', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const source = await post(page.request, '/api/v1/sources', { name: `Heartbeat ${run}`, provider: 'none' });

  await page.goto(`/sources/${source.id}`);
  const silence = page.getByRole('form', { name: 'Silence alert' });
  await expect(silence.getByTestId('silence-state')).toHaveCount(0);
  await silence.getByLabel('Watch for silence').check();
  await silence.getByLabel('Expect an event at least every').fill('10');
  await silence.getByLabel('Unit').selectOption('seconds');
  await silence.getByRole('button', { name: 'Save silence watch' }).click();
  await expect(silence.getByRole('status')).toHaveText('Silence watch saved.');
  await expect(silence.getByTestId('silence-state')).toContainText('Not silent: watched since');
  // What was saved is what the API answers.
  const saved = await (await page.request.get(`/api/v1/sources/${source.id}`)).json();
  expect(saved.alertSettings).toMatchObject({ expectedEvery: 10 });

  // One event, then nothing.
  expect((await page.request.post(`/api/ingest/${source.slug}`, { data: { id: `evt_${run}`, type: 'heartbeat' } })).status()).toBe(202);
  await page.goto('/sources');
  const row = page.getByTestId(`source-row-${source.slug}`);
  await expect(row).toContainText('Expected every 10 s');
  await expect(async () => {
    await page.reload();
    await expect(row.getByTestId('silence-badge')).toContainText(/^Silent since .+ \(expected every 10 s\)$/, { timeout: 1000 });
  }).toPass({ timeout: 45_000 });

  // The worker raised the alert; the Alerts page names the source and links to it.
  await expect(async () => {
    await page.goto('/alerts');
    const alert = page.locator('tr', { has: page.getByText(`Heartbeat ${run}: no event accepted since`) });
    await expect(alert).toHaveCount(1, { timeout: 1000 });
    await expect(alert).toContainText('Source silent');
    await expect(alert.getByTestId('alert-target')).toContainText(`Heartbeat ${run}Source`);
  }).toPass({ timeout: 45_000 });
  await page
    .getByTestId('alert-target')
    .getByRole('link', { name: `Heartbeat ${run}` })
    .click();
  await expect(page).toHaveURL(new RegExp(`/sources/${source.id}$`));
  await expect(page.getByTestId('silence-badge').first()).toContainText('(expected every 10 s)');
});
