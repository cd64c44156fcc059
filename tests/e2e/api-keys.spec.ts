import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from './support/credentials';

test('API keys carry a role and follow the same rules as people', async ({ page, playwright }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toHaveText(E2E_ADMIN.email);

  await page.goto('/settings/api-keys');
  await page.getByLabel('Name').fill('viewer-script');
  await page.getByLabel('Role').selectOption('VIEWER');
  await page.getByRole('button', { name: 'Create API key' }).click();
  const key = (await page.getByTestId('new-api-key').textContent())?.trim() ?? '';
  expect(key).toMatch(/^hky_/);

  const api = await playwright.request.newContext({ baseURL: page.url(), extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  const users = await api.get('/api/v1/users');
  expect(users.status()).toBe(403);
  const anonymous = await playwright.request.newContext({ baseURL: page.url() });
  expect((await anonymous.get('/api/v1/users')).status()).toBe(401);
  const badKey = await playwright.request.newContext({ baseURL: page.url(), extraHTTPHeaders: { authorization: 'Bearer hky_nope' } });
  expect((await badKey.get('/api/v1/users')).status()).toBe(401);

  const health = await api.get('/api/health');
  expect(health.status()).toBe(200);

  await page.getByRole('button', { name: 'Revoke viewer-script' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
  // This key's row: other tests may have revoked keys of their own on the same server.
  await expect(page.locator('tr', { hasText: 'viewer-script' }).getByText('Revoked')).toBeVisible();
  const afterRevoke = await api.get('/api/v1/users');
  expect(afterRevoke.status()).toBe(401);
  await api.dispose();
  await anonymous.dispose();
  await badKey.dispose();
});
