import { type APIRequestContext, expect, test } from '@playwright/test';
import { post, signIn } from './support/dashboard';

/**
 * Role changes and deactivations are one confirmation away, never one keystroke: ArrowDown on a
 * focused role select used to promote a support user to Admin at once.
 */
async function roleOf(api: APIRequestContext, email: string) {
  const users = (await (await api.get('/api/v1/users')).json()) as { data: { email: string; role: string; active: boolean }[] };
  return users.data.find((user) => user.email === email);
}

test('a role change waits for the confirmation dialog, and Cancel leaves it unchanged', async ({ page }) => {
  await signIn(page);
  const email = `support-${Date.now().toString(36)}@e2e.test`;
  await post(page.request, '/api/v1/users', { email, role: 'SUPPORT' });
  await page.goto('/settings/users');

  const select = page.getByLabel(`Role of ${email}`);
  await select.focus();
  await page.keyboard.press('ArrowDown');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(email);
  await expect(dialog).toContainText('Support');
  await expect(dialog).toContainText('Admin');
  // Nothing has reached the server yet.
  expect((await roleOf(page.request, email))?.role).toBe('SUPPORT');

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(select).toHaveValue('SUPPORT');
  await expect(select).toBeFocused();
  await page.waitForTimeout(500);
  expect((await roleOf(page.request, email))?.role).toBe('SUPPORT');

  // Escape cancels too.
  await select.selectOption('VIEWER');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(select).toHaveValue('SUPPORT');
  expect((await roleOf(page.request, email))?.role).toBe('SUPPORT');

  // Confirmed, it happens.
  await select.selectOption('ADMIN');
  await dialog.getByRole('button', { name: 'Make Admin' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await roleOf(page.request, email))?.role).toBe('ADMIN');
  await expect(select).toHaveValue('ADMIN');
});

test('deactivating a user asks first, naming the user', async ({ page }) => {
  await signIn(page);
  const email = `leaver-${Date.now().toString(36)}@e2e.test`;
  await post(page.request, '/api/v1/users', { email, role: 'VIEWER' });
  await page.goto('/settings/users');

  const deactivate = page.getByRole('button', { name: `Deactivate ${email}` });
  await deactivate.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(email);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.waitForTimeout(500);
  expect((await roleOf(page.request, email))?.active).toBe(true);

  await deactivate.click();
  await dialog.getByRole('button', { name: 'Deactivate' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await roleOf(page.request, email))?.active).toBe(false);
  await expect(page.getByTestId(`user-row-${email}`).getByText('Deactivated')).toBeVisible();
});

test('revoking an API key uses the app dialog, not the browser confirm()', async ({ page, request }) => {
  await signIn(page);
  let nativeDialogs = 0;
  page.on('dialog', (native) => {
    nativeDialogs += 1;
    void native.dismiss();
  });
  await page.goto('/settings/api-keys');
  const name = `revoke-${Date.now().toString(36)}`;
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create API key' }).click();
  const key = (await page.getByTestId('new-api-key').textContent())?.trim() ?? '';

  await page.getByRole('button', { name: `Revoke ${name}` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(name);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  const headers = { authorization: `Bearer ${key}` };
  expect((await request.get('/api/v1/events', { headers })).status()).toBe(200);

  await page.getByRole('button', { name: `Revoke ${name}` }).click();
  await dialog.getByRole('button', { name: 'Revoke key' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await request.get('/api/v1/events', { headers })).status()).toBe(401);
  expect(nativeDialogs).toBe(0);
});
