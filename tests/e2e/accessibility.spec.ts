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

test('placeholder text is readable: at least 4.5:1 against the field on the forms people type into', async ({ page }) => {
  await signIn(page);
  const problems: string[] = [];
  let measured = 0;
  for (const url of ['/events', '/audit', '/sources/new', '/destinations/new', '/settings/users', '/settings/notifications']) {
    await page.goto(url);
    await expect(page.locator('main h1').first()).toBeVisible();
    const found = await page.evaluate(() => {
      // Computed colours may be oklch(); a canvas turns any CSS colour into sRGB bytes.
      const context = Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', { willReadFrequently: true })!;
      const rgbOn = (color: string, under: string) => {
        context.clearRect(0, 0, 1, 1);
        context.fillStyle = under;
        context.fillRect(0, 0, 1, 1);
        context.fillStyle = color;
        context.fillRect(0, 0, 1, 1);
        return [...context.getImageData(0, 0, 1, 1).data.slice(0, 3)];
      };
      const luminance = (rgb: number[]) =>
        rgb.map((v) => v / 255).reduce((sum, c, i) => sum + [0.2126, 0.7152, 0.0722][i]! * (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4), 0);
      return [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[placeholder], textarea[placeholder]')]
        .filter((field) => field.placeholder && field.getClientRects().length > 0)
        .map((field) => {
          const style = getComputedStyle(field);
          const background = rgbOn(style.backgroundColor, '#fff');
          const text = rgbOn(getComputedStyle(field, '::placeholder').color, `rgb(${background.join(',')})`);
          const [light, dark] = [luminance(background), luminance(text)].sort((a, b) => b - a);
          return { label: field.getAttribute('aria-label') ?? field.name ?? field.id, placeholder: field.placeholder, ratio: (light! + 0.05) / (dark! + 0.05) };
        });
    });
    measured += found.length;
    for (const field of found) if (field.ratio < 4.5) problems.push(`${url}: "${field.placeholder}" (${field.label}) is ${field.ratio.toFixed(2)}:1`);
  }
  expect(measured).toBeGreaterThan(5);
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
