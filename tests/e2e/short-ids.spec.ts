import { expect, type Page, test } from '@playwright/test';
import { post, signIn } from './support/dashboard';

/**
 * Short ids that tell rows apart: UUIDv7 ids begin with their timestamp, so the first 8
 * characters of every event from the same minute used to read the same.
 */

async function shortIds(page: Page, rows: string) {
  const ids = page.locator(rows).getByTestId('short-id');
  await expect(ids).toHaveCount(2);
  return [(await ids.nth(0).textContent())?.trim() ?? '', (await ids.nth(1).textContent())?.trim() ?? ''];
}

test('two events received in the same second get different short ids, with the full id on hover', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const api = page.request;
  const run = Date.now().toString(36);
  const plain = await post(api, '/api/v1/sources', { name: `Ids plain ${run}`, provider: 'none' });
  const keyed = await post(api, '/api/v1/sources', { name: `Ids keyed ${run}`, provider: 'none', dedupJsonPath: 'id' });
  const broken = await post(api, '/api/v1/destinations', { name: `Ids broken ${run}`, url: 'http://127.0.0.1:9/hooks', retrySchedule: [0] });
  await post(api, '/api/v1/routes', { sourceId: plain.id, destinationId: broken.id });

  const ingest = async (slug: string, data: unknown) => ((await (await api.post(`/api/ingest/${slug}`, { data })).json()) as { id: string }).id;
  const ids = await Promise.all([ingest(plain.slug, { n: 1 }), ingest(plain.slug, { n: 2 })]);
  // The premise: UUIDv7 ids of the same moment start alike, so their first 8 characters are equal.
  expect(ids[0]!.slice(0, 8)).toBe(ids[1]!.slice(0, 8));

  await page.goto(`/events?sourceId=${plain.id}`);
  const [first, second] = await shortIds(page, '[data-testid="event-row"]');
  expect(first).not.toBe(second);
  for (const id of ids) {
    const row = page.locator(`[data-testid="event-row"][data-event-id="${id}"]`);
    await expect(row.getByTestId('short-id')).toHaveAttribute('title', new RegExp(id));
    await expect(row.getByRole('button', { name: `Copy event id ${id}` })).toBeVisible();
  }
  // Copying does not open the event.
  await page
    .locator(`[data-testid="event-row"][data-event-id="${ids[0]}"]`)
    .getByRole('button', { name: /^Copy event id/ })
    .click();
  await expect(page).toHaveURL(/\/events\?/);

  // With a dedup key, the provider's own event id is what the list shows.
  await Promise.all([ingest(keyed.slug, { id: `evt_${run}_a` }), ingest(keyed.slug, { id: `evt_${run}_b` })]);
  await page.goto(`/events?sourceId=${keyed.id}`);
  expect((await shortIds(page, '[data-testid="event-row"]')).sort()).toEqual([`evt_${run}_a`, `evt_${run}_b`]);

  // The failed queue uses the same ids.
  await expect
    .poll(async () => ((await (await api.get(`/api/v1/deliveries?destinationId=${broken.id}&status=failed`)).json()) as { data: unknown[] }).data.length, {
      timeout: 60_000,
    })
    .toBe(2);
  await page.goto(`/failed?destinationId=${broken.id}`);
  const group = page.getByTestId('failed-group').first();
  await group.getByRole('button', { expanded: false }).first().click();
  const [a, b] = await shortIds(page, '[data-testid="failed-delivery"]');
  expect(a).not.toBe(b);
  expect([a, b].sort()).toEqual(ids.map((id) => id.slice(-8)).sort());
});
