import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/axe';
import { dashboardRoutes, fillRoute, seedTraffic, signIn } from './support/dashboard';

test('the sign-in page and every dashboard page have no serious or critical axe violations', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/login');
  const problems = (await seriousViolations(page)).map((v) => `/login: ${v}`);

  await signIn(page);
  const traffic = await seedTraffic(page);
  const ids = {
    '/events/[id]': traffic.eventId,
    '/sources/[id]': traffic.sourceId,
    '/destinations/[id]': traffic.destinationId,
    '/alerts/[id]': traffic.alertId,
  };
  for (const route of dashboardRoutes()) {
    await page.goto(fillRoute(route, ids));
    await expect(page.locator('main h1').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    for (const violation of await seriousViolations(page)) problems.push(`${route}: ${violation}`);
  }
  // What only shows on demand: the folded navigation at 1024 px, and a confirmation dialog.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  for (const violation of await seriousViolations(page)) problems.push(`menu at 1024 px: ${violation}`);
  await page.goto('/settings/users');
  await page
    .getByRole('button', { name: /^Deactivate / })
    .first()
    .click();
  await expect(page.getByRole('dialog')).toBeVisible();
  for (const violation of await seriousViolations(page)) problems.push(`confirmation dialog: ${violation}`);
  expect(problems).toEqual([]);
});

test('a skip link leads past the navigation to the page content', async ({ page }) => {
  await signIn(page);
  await page.goto('/events');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});

test('closing a dialog returns focus to the button that opened it', async ({ page }) => {
  await signIn(page);
  await page.goto('/settings/api-keys');
  const name = `focus-${Date.now().toString(36)}`;
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create API key' }).click();
  await expect(page.getByTestId('new-api-key')).toBeVisible();

  const revoke = page.getByRole('button', { name: `Revoke ${name}` });
  await revoke.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(revoke).toBeFocused();

  await revoke.click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(revoke).toBeFocused();

  // Confirmed, the button is gone with the key's active state: focus lands on the page content,
  // not on <body> (where the next Tab would start from the top of the page).
  await revoke.click();
  await dialog.getByRole('button', { name: 'Revoke key' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('main')).toBeFocused();

  // A dialog that mounts with its question (the users page) returns focus too.
  const email = `focus-${Date.now().toString(36)}@e2e.test`;
  expect((await page.request.post('/api/v1/users', { data: { email, role: 'VIEWER' } })).status()).toBe(201);
  await page.goto('/settings/users');
  const deactivate = page.getByRole('button', { name: `Deactivate ${email}` });
  await deactivate.focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(deactivate).toBeFocused();
});
