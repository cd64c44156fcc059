import { type Browser, expect, type Page, test } from '@playwright/test';
import { post, signIn } from './support/dashboard';

/**
 * Sign-in locks on the users page: ten wrong passwords lock one account from this address (the
 * browser's, shared with the admin's), the admin still signs in from the same address, sees the
 * lock, and clears it through the app's confirmation dialog. A viewer gets neither the list nor
 * the page. (The server action refusing non-admins is tests/integration/role-matrix.test.ts.)
 */
async function tryPassword(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForResponse((response) => response.url().includes('/api/auth/callback/credentials')),
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
}

async function freshLoginPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  return page;
}

test('an admin sees a sign-in lock and clears it after confirming; a viewer cannot see the page', async ({ page, browser }) => {
  await signIn(page);
  const email = `typist-${Date.now().toString(36)}@e2e.test`;
  const password = 'viewer password 123';
  await post(page.request, '/api/v1/users', { email, role: 'VIEWER', password });

  const viewer = await freshLoginPage(browser);
  for (let i = 0; i < 10; i++) {
    await tryPassword(viewer, email, `wrong ${i}`);
    await expect(viewer.getByRole('alert').filter({ hasText: 'do not match' })).toBeVisible();
  }
  await tryPassword(viewer, email, password);
  await expect(viewer.getByRole('alert').filter({ hasText: 'Too many failed attempts' })).toBeVisible();

  // Same address, other account: the admin is not locked out by the viewer's failures.
  const admin = await freshLoginPage(browser);
  await signIn(admin);
  await admin.goto('/settings/users');
  const locks = admin.getByRole('table', { name: 'Sign-in locks' });
  const lockRow = locks.getByRole('row').filter({ hasText: email }).filter({ hasText: 'Account from address' });
  await expect(lockRow).toHaveCount(1);
  await expect(lockRow).toContainText('Locked');
  await expect(lockRow.getByRole('cell').nth(1)).toHaveText('10');
  // The account itself (10 of its 30) is only slowed.
  await expect(locks.getByRole('row').filter({ hasText: email }).filter({ hasNotText: 'from address' })).toContainText('Slowed');

  const clear = lockRow.getByRole('button', { name: /^Clear account from address/ });
  await clear.click();
  const dialog = admin.getByRole('dialog');
  await expect(dialog).toContainText(email);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(lockRow).toHaveCount(1);

  await clear.click();
  await dialog.getByRole('button', { name: 'Clear' }).click();
  await expect(dialog).toBeHidden();
  await expect(lockRow).toHaveCount(0);

  // Unlocked: the viewer signs in with the right password, and the users page refuses them.
  await tryPassword(viewer, email, password);
  await expect(viewer.getByTestId('current-user')).toHaveText(email);
  await viewer.goto('/settings/users');
  await expect(viewer.getByText('This page needs the ADMIN role')).toBeVisible();
  await expect(viewer.getByRole('table', { name: 'Sign-in locks' })).toHaveCount(0);

  const audit = (await (await admin.request.get('/api/v1/audit?action=sign_in_lock.clear')).json()) as { data: { action: string; targetId: string | null }[] };
  expect(audit.data.some((entry) => entry.action === 'sign_in_lock.clear' && entry.targetId?.includes(email))).toBe(true);
});
