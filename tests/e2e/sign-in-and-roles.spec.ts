import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from './support/credentials';

async function signIn(page: import('@playwright/test').Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toHaveText(email);
}

test('signed-out visitors are sent to the sign-in page', async ({ page }) => {
  await page.goto('/settings/users');
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsettings%2Fusers/);
  await expect(page.getByRole('heading', { name: 'Sign in to Hookyard' })).toBeVisible();
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'do not match an active account' })).toBeVisible();
});

test('the admin creates a SUPPORT user, who is refused the users page', async ({ page, browser }, testInfo) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();

  const email = `support-${Date.now()}@e2e.test`;
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role').first().selectOption('SUPPORT');
  await page.getByRole('button', { name: 'Create user' }).click();
  const password = (await page.getByTestId('generated-password').textContent())?.trim() ?? '';
  expect(password.length).toBeGreaterThanOrEqual(20);
  await expect(page.getByTestId(`user-row-${email}`)).toContainText('Active');
  await page.screenshot({ path: testInfo.outputPath('users-page.png'), fullPage: true });

  const support = await browser.newContext();
  const supportPage = await support.newPage();
  await signIn(supportPage, email, password);
  await expect(supportPage.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await supportPage.goto('/settings/users');
  await expect(supportPage.getByRole('alert').filter({ hasText: 'This page needs the ADMIN role' })).toBeVisible();
  await supportPage.screenshot({ path: testInfo.outputPath('users-page-refused.png'), fullPage: true });

  // The server refuses the API too, whatever the UI shows.
  const refused = await supportPage.request.get('/api/v1/users');
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('forbidden');

  // Deactivation ends the SUPPORT user's existing session at once.
  await page.getByRole('button', { name: `Deactivate ${email}` }).click();
  await page
    .getByRole('dialog', { name: `Deactivate ${email}?` })
    .getByRole('button', { name: 'Deactivate' })
    .click();
  await expect(page.getByTestId(`user-row-${email}`)).toContainText('Deactivated');
  await supportPage.goto('/');
  await expect(supportPage).toHaveURL(/\/login/);
  await support.close();
});
