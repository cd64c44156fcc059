/**
 * Issue 17, the support workflow: every list that says it is live updates, event detail shows the
 * request Hookyard sent, the destination page is the hub, routes are added from both sides, and
 * the new-source form previews the slug that will really be used.
 */
import { expect, test } from '@playwright/test';
import { post, signIn } from './support/dashboard';

const run = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test('the unfiltered events page is live: a new event appears without a reload', async ({ page }) => {
  await signIn(page);
  const source = await post(page.request, '/api/v1/sources', { name: `Live all ${run()}`, provider: 'none' });
  await page.goto('/events');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  const response = await page.request.post(`/api/ingest/${source.slug}`, { data: { hello: 'live' } });
  expect(response.status()).toBe(202);
  const { id } = (await response.json()) as { id: string };
  await expect(page.locator(`[data-testid="event-row"][data-event-id="${id}"]`)).toBeVisible({ timeout: 10_000 });
});
