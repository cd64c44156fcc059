import { expect, type Page, test } from '@playwright/test';
import { E2E_ADMIN } from './support/credentials';
import { e2eOidc } from './support/oidc-settings';

// The provider started beside the e2e server (support/start-server.ts).
const oidc = e2eOidc(Number(process.env.E2E_PORT ?? 3100));

async function setGroups(page: Page, login: string, email: string, groups: string[], emailVerified = true) {
  const response = await page.request.put(`${oidc.issuer}/test/accounts/${login}`, { data: { email, name: 'Ana Example', groups, emailVerified } });
  expect(response.status()).toBe(204);
}

/** Through the provider's own pages: its login form (the first time), and its consent page. */
async function signInWithProvider(page: Page, login: string) {
  await page.goto('/login');
  await page.getByRole('button', { name: `Sign in with ${oidc.name}` }).click();
  await expect(page).toHaveURL(new RegExp(`^${oidc.issuer}/interaction/`));
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.locator('input[name="password"]').fill('whatever the dev login accepts');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('a person signs in through the OpenID provider, gets the mapped role, and a group change applies at the next sign-in', async ({ page }) => {
  const run = Date.now().toString(36);
  const login = `ana-${run}`;
  const email = `ana-${run}@sso.e2e.test`;
  await setGroups(page, login, email, ['staff', 'hookyard-support']);

  await signInWithProvider(page, login);
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  await expect(page.getByTestId('current-user')).toHaveText(email);
  await expect(page.getByTestId('current-user').locator('xpath=following-sibling::*[1]')).toHaveText('SUPPORT');
  // A SUPPORT user is not an admin: the users page is refused on the server.
  await page.goto('/settings/users');
  await expect(page.getByText('This page needs the ADMIN role')).toBeVisible();

  // Promoted at the provider: the next sign-in brings the new role.
  await setGroups(page, login, email, ['staff', 'hookyard-admins']);
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole('button', { name: `Sign in with ${oidc.name}` }).click();
  // The provider remembers the person (its session) and their consent: straight back to Hookyard.
  await expect(page.getByTestId('current-user')).toHaveText(email);
  await expect(page.getByTestId('current-user').locator('xpath=following-sibling::*[1]')).toHaveText('ADMIN');

  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByTestId(`user-row-${email}`).getByTestId('sign-in-methods')).toHaveText('SSO');
  await expect(page.getByTestId('user-row-admin@e2e.test').getByTestId('sign-in-methods')).toHaveText('Password');

  // Both sign-ins are in the audit log, with the method.
  const audit = await page.request.get('/api/v1/audit?action=user.sign_in');
  expect(audit.status()).toBe(200);
  const entries = ((await audit.json()) as { data: { actorLabel: string; after: { method: string } }[] }).data.filter((entry) => entry.actorLabel === email);
  expect(entries.map((entry) => entry.after.method)).toEqual(['oidc', 'oidc']);
});

test('an SSO identity whose unverified email is an existing account is refused, and the login page says so', async ({ page }) => {
  const login = `mallory-${Date.now().toString(36)}`;
  // The e2e admin's email, which anyone could type into a provider that does not verify it.
  await setGroups(page, login, E2E_ADMIN.email, ['hookyard-admins'], false);
  await signInWithProvider(page, login);
  await expect(page).toHaveURL(/\/login\?.*error=AccessDenied/);
  await expect(page.getByRole('alert').filter({ hasText: 'Single sign-on did not let you in' })).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
});
