import { type Browser, expect, type Page, test } from '@playwright/test';
import { post, signIn } from './support/dashboard';

/**
 * Passwords and sessions as people meet them: changing one's own password on the account page
 * (this browser stays signed in, the other one is signed out), an admin resetting someone's
 * password from the users page (that person's open browser is signed out, the shown password
 * works), and "sign out everywhere", by the person and by an admin, each through the app's dialog.
 */
async function signedInContext(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, password);
  return page;
}

async function expectSignedOut(page: Page) {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
}

async function signInFails(browser: Browser, email: string, password: string) {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'do not match' })).toBeVisible();
  await page.context().close();
}

const run = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 5);

test('a person changes their own password: this browser stays signed in, the other is signed out, the new password works', async ({ page, browser }) => {
  await signIn(page);
  const email = `changer-${run()}@e2e.test`;
  const oldPassword = 'the old password 123';
  const newPassword = 'the new password 456';
  await post(page.request, '/api/v1/users', { email, role: 'VIEWER', password: oldPassword });

  const here = await signedInContext(browser, email, oldPassword);
  const elsewhere = await signedInContext(browser, email, oldPassword);

  await here.getByTestId('current-user').click();
  await expect(here).toHaveURL(/\/settings\/account$/);
  const form = here.getByRole('form', { name: 'Change password' });
  await form.getByLabel('Current password').fill('not the password');
  await form.getByLabel('New password', { exact: true }).fill(newPassword);
  await form.getByLabel('Confirm new password').fill(newPassword);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('The current password is wrong')).toBeVisible();

  await form.getByLabel('Current password').fill(oldPassword);
  await form.getByLabel('New password', { exact: true }).fill(newPassword);
  await form.getByLabel('Confirm new password').fill(`${newPassword}x`);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('The two new passwords differ')).toBeVisible();

  await form.getByLabel('Confirm new password').fill(newPassword);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('Your password is changed')).toBeVisible();

  // This browser's session was re-issued; the other one ended.
  await here.reload();
  await expect(here.getByTestId('current-user')).toHaveText(email);
  await expectSignedOut(elsewhere);

  await signInFails(browser, email, oldPassword);
  const fresh = await signedInContext(browser, email, newPassword);
  await expect(fresh.getByTestId('current-user')).toHaveText(email);
});

test('an admin resets a password after confirming: the person is signed out and the shown password works', async ({ page, browser }) => {
  await signIn(page);
  const email = `forgetful-${run()}@e2e.test`;
  const password = 'forgotten password 123';
  await post(page.request, '/api/v1/users', { email, role: 'SUPPORT', password });
  const person = await signedInContext(browser, email, password);

  await page.goto('/settings/users');
  const resetButton = page.getByRole('button', { name: `Reset password of ${email}` });
  await resetButton.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(email);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await person.reload();
  await expect(person.getByTestId('current-user')).toHaveText(email);

  await resetButton.click();
  await dialog.getByRole('button', { name: 'Reset password' }).click();
  await expect(dialog).toBeHidden();
  const shown = (await page.getByTestId('reset-password').textContent())?.trim() ?? '';
  expect(shown).toHaveLength(20);

  await expectSignedOut(person);
  await signInFails(browser, email, password);
  const again = await signedInContext(browser, email, shown);
  await expect(again.getByTestId('current-user')).toHaveText(email);
});

test('sign out everywhere: by the person from the account page, and by an admin from the users page', async ({ page, browser }) => {
  await signIn(page);
  const email = `traveller-${run()}@e2e.test`;
  const password = 'traveller password 123';
  await post(page.request, '/api/v1/users', { email, role: 'VIEWER', password });

  const laptop = await signedInContext(browser, email, password);
  const phone = await signedInContext(browser, email, password);
  await laptop.goto('/settings/account');
  await laptop.getByRole('button', { name: 'Sign out everywhere' }).click();
  const dialog = laptop.getByRole('dialog');
  await expect(dialog).toContainText('this one included');
  await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(laptop).toHaveURL(/\/login/);
  await expectSignedOut(phone);

  const desk = await signedInContext(browser, email, password);
  await page.goto('/settings/users');
  await page.getByRole('button', { name: `Sign out everywhere ${email}` }).click();
  const adminDialog = page.getByRole('dialog');
  await expect(adminDialog).toContainText(email);
  await adminDialog.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(adminDialog).toBeHidden();
  await expect(page.getByTestId(`user-notice-${email}`)).toContainText('signed out everywhere');
  await expectSignedOut(desk);
  // The admin's own session is untouched.
  await page.reload();
  await expect(page.getByTestId('current-user')).toBeVisible();
});
