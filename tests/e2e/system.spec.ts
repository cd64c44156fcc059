import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { expect, type Page, test } from '@playwright/test';
import { E2E_ADMIN } from './support/credentials';

/**
 * The System page lists the delivery workers from their heartbeats. The e2e server is `npm start`,
 * which runs one worker process: the page must show it live, with the pid of that very process.
 */

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toHaveText(email);
}

test('the System page shows the running worker live, with its pid, to every role', async ({ page, browser }, testInfo) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole('link', { name: 'System', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'System', level: 1 })).toBeVisible();

  const live = page.locator('[data-testid="worker-row"][data-state="live"]');
  await expect(live).toHaveCount(1);
  await expect(live).toContainText('Live');
  await expect(live).toContainText(hostname());
  const pid = Number((await live.getByTestId('worker-pid').textContent())?.trim());
  expect(Number.isInteger(pid) && pid > 0).toBe(true);
  // That pid is a running process, and (where /proc shows it) it is the worker script.
  expect(() => process.kill(pid, 0)).not.toThrow();
  if (existsSync(`/proc/${pid}/cmdline`)) expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('scripts/worker.ts');
  await expect(live.locator('time')).toHaveCount(2); // started and last heartbeat
  await page.screenshot({ path: testInfo.outputPath('system-page.png'), fullPage: true });

  // Read-only, and for everyone signed in: a VIEWER sees the same worker.
  const email = `viewer-system-${Date.now()}@e2e.test`;
  const createdUser = await page.request.post('/api/v1/users', { data: { email, role: 'VIEWER' } });
  expect(createdUser.status(), await createdUser.text()).toBe(201);
  const { password } = (await createdUser.json()) as { password: string };
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, email, password);
  await viewer.getByRole('link', { name: 'System', exact: true }).click();
  await expect(viewer.locator('[data-testid="worker-row"][data-state="live"]').getByTestId('worker-pid')).toHaveText(String(pid));
  await expect(viewer.getByRole('main').getByRole('button')).toHaveCount(0); // read-only: nothing to press
  await viewerContext.close();
});
