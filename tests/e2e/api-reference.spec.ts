import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from './support/credentials';

/**
 * The API reference page renders the OpenAPI document with Swagger UI from the app's own bundle
 * (no CDN): a known operation shows with its method, path and summary, and opening it shows its
 * body's fields from the zod schema and the error answers.
 */
test('the API reference shows the documented operations, from the sidebar', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Refused to|Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const external: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost' && url.protocol !== 'data:') external.push(request.url());
  });
  await page.goto('/login');
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toHaveText(E2E_ADMIN.email);

  await page.getByRole('link', { name: 'API reference' }).click();
  await expect(page.getByRole('heading', { name: 'API reference', level: 1 })).toBeVisible();
  const reference = page.getByTestId('api-reference');
  const createSource = reference.locator('.opblock-post').filter({ has: page.locator('[data-path="/sources"]') });
  await expect(createSource).toBeVisible();
  await expect(createSource).toContainText('Create a source');
  await expect(reference.locator('.opblock-get').filter({ has: page.locator('[data-path="/events"]') })).toContainText('List events, newest first');

  await createSource.locator('.opblock-summary').first().click();
  await expect(createSource.locator('.opblock-body')).toContainText('Requires the role ADMIN or higher', { timeout: 20_000 });
  await expect(createSource.locator('.responses-table')).toContainText('422');
  await expect(createSource.locator('.responses-table')).toContainText('409');
  expect(external, 'requests to other hosts').toEqual([]);
  expect(violations, 'CSP violations while Swagger UI renders and expands').toEqual([]);
});
