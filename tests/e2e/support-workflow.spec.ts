/**
 * Issue 17, the support workflow: an open circuit is visible wherever its held deliveries show
 * and can be asked to probe now; "failed, waiting for a replay" is one number on the overview,
 * the destinations list, the destination page and the failed queue; the failed queue updates by
 * itself; alerts resolve themselves when their condition clears.
 */
import { expect, type Page, test } from '@playwright/test';
import { post, signIn } from './support/dashboard';

test.describe.configure({ mode: 'serial' });

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function ingest(page: Page, slug: string, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await page.request.post(`/api/ingest/${slug}`, { data: { id: `${prefix}_${run}_${i}`, type: 'order.created' } });
    expect(response.status()).toBe(202);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

async function deliveriesOf(page: Page, destinationId: string, status?: string) {
  const query = new URLSearchParams({ destinationId, limit: '200', ...(status ? { status } : {}) });
  const response = await page.request.get(`/api/v1/deliveries?${query}`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { data: { id: string; status: string; event: { id: string }; heldByCircuit: { nextProbeAt: string } | null }[] }).data;
}

test('an open circuit shows as held with its next probe, a support user probes it now, and its alert resolves itself', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const origin = new URL(page.url()).origin;
  const sink = await post(page.request, '/api/v1/sources', { name: `Circuit sink ${run}`, provider: 'none' });
  const shop = await post(page.request, '/api/v1/sources', { name: `Circuit shop ${run}`, provider: 'none', dedupJsonPath: 'id' });
  const name = `Circuit receiver ${run}`;
  const destination = await post(page.request, '/api/v1/destinations', { name, url: 'http://127.0.0.1:9/down', retrySchedule: new Array(12).fill(0) });
  await post(page.request, '/api/v1/routes', { sourceId: shop.id, destinationId: destination.id });
  // Four events of twelve attempts each: the tenth failure in a row opens the circuit before any schedule runs out.
  const events = await ingest(page, shop.slug, 4, 'evt_circuit');
  await expect.poll(async () => (await deliveriesOf(page, destination.id, 'held')).length, { timeout: 30_000 }).toBe(4);

  // Event detail's delivery card: held by the circuit, with the next probe, never "Next attempt … ago".
  await page.goto(`/events/${events[0]}`);
  const card = page.getByTestId('held-by-circuit');
  await expect(card).toContainText('Held by the circuit');
  await expect(card).toContainText('next probe at');
  await expect(page.getByText('Next attempt')).toHaveCount(0);

  // The status filter offers it, and the paused status under its own name, not a second "Held".
  await page.goto(`/events?status=held&destinationId=${destination.id}`);
  const statusFilter = page.getByLabel('Delivery status');
  await expect(statusFilter).toHaveValue('held');
  const optionLabels = (await statusFilter.locator('option').allTextContents()).map((text) => text.trim());
  expect(optionLabels).toContain('Held by the circuit');
  expect(optionLabels).toContain('Paused');
  expect(optionLabels).not.toContain('Held');

  // The Events list says so too, with the next probe, instead of "Pending".
  const rows = page.getByTestId('event-row');
  await expect(rows).toHaveCount(4);
  await expect(rows.getByTestId('delivery-summary')).toHaveCount(4);
  for (const summary of await rows.getByTestId('delivery-summary').all()) {
    await expect(summary).toContainText('Held by the circuit');
    await expect(summary).not.toContainText('Pending');
    await expect(summary).toHaveAttribute('title', new RegExp(`^${name}: Held by the circuit, next probe at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`));
    await expect(summary.getByTestId('held-next-probe')).toContainText('next probe');
  }
  // …without the filter as well: the live list re-reads the API (and the event stream sends list items), which report the hold per destination.
  await page.goto(`/events?sourceId=${shop.id}`);
  await expect(rows).toHaveCount(4);
  await expect(rows.getByTestId('delivery-summary').filter({ hasText: 'Held by the circuit' })).toHaveCount(4);
  const listed = (await (await page.request.get(`/api/v1/events?sourceId=${shop.id}`)).json()) as {
    data: { destinations: { status: string; heldByCircuit: { nextProbeAt: string } | null }[] }[];
  };
  for (const row of listed.data)
    expect(row.destinations).toEqual([expect.objectContaining({ status: 'pending', heldByCircuit: { nextProbeAt: expect.any(String) } })]);

  // The failed queue shows what the circuit holds, and a support user asks for the probe now.
  const email = `support-circuit-${run}@e2e.test`;
  const created = await page.request.post('/api/v1/users', { data: { email, role: 'SUPPORT' } });
  expect(created.status()).toBe(201);
  const password = ((await created.json()) as { password: string }).password;
  const response = await page.request.patch(`/api/v1/destinations/${destination.id}`, { data: { url: `${origin}/api/ingest/${sink.slug}` } });
  expect(response.ok()).toBe(true);

  const support = await page.context().browser()!.newContext();
  const supportPage = await support.newPage();
  await signIn(supportPage, email, password);
  await supportPage.goto('/failed');
  const held = supportPage.getByTestId(`held-${destination.id}`);
  await expect(held).toContainText(`${name}: 4 deliveries held by the circuit, next probe at`);
  await held.getByRole('button', { name: 'Probe now' }).click();
  // The outcome stays on the page even when the probe got through and the held line went away.
  await expect(supportPage.getByTestId(`probe-outcome-${destination.id}`)).toContainText(`Probe requested for ${name}`);
  await expect.poll(async () => (await deliveriesOf(page, destination.id, 'succeeded')).length, { timeout: 30_000 }).toBe(4);
  // The queue updates by itself: the held line goes away without a reload.
  await expect(supportPage.getByTestId(`held-${destination.id}`)).toHaveCount(0, { timeout: 15_000 });

  const audit = (await (await page.request.get(`/api/v1/audit?action=destination.probe`)).json()) as { data: { actorLabel?: string; targetId: string }[] };
  expect(audit.data.some((entry) => entry.targetId === destination.id)).toBe(true);

  // Its destination_circuit_open alert resolved itself when the circuit closed.
  await page.goto('/alerts?status=resolved');
  const row = page.locator('tr').filter({ hasText: name }).filter({ hasText: 'Circuit open' });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('resolved-by-system')).toContainText('Resolved automatically');
  await support.close();
});

test('"failed, waiting for a replay" is one number on the overview, destinations, the destination page and the failed queue; the exhausted alert resolves when all are replayed', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  const origin = new URL(page.url()).origin;
  const sink = await post(page.request, '/api/v1/sources', { name: `Count sink ${run}`, provider: 'none' });
  const shop = await post(page.request, '/api/v1/sources', { name: `Count shop ${run}`, provider: 'none', dedupJsonPath: 'id' });
  const name = `Count receiver ${run}`;
  const destination = await post(page.request, '/api/v1/destinations', { name, url: 'http://127.0.0.1:9/down', retrySchedule: [0] });
  await post(page.request, '/api/v1/routes', { sourceId: shop.id, destinationId: destination.id });
  const events = await ingest(page, shop.slug, 3, 'evt_count');
  await expect.poll(async () => (await deliveriesOf(page, destination.id, 'failed')).length, { timeout: 30_000 }).toBe(3);

  // Fixed; two of the three replayed successfully.
  expect((await page.request.patch(`/api/v1/destinations/${destination.id}`, { data: { url: `${origin}/api/ingest/${sink.slug}` } })).ok()).toBe(true);
  for (const eventId of events.slice(0, 2)) await post(page.request, `/api/v1/events/${eventId}/replay`, { destinationId: destination.id });
  await expect.poll(async () => (await deliveriesOf(page, destination.id, 'succeeded')).length, { timeout: 30_000 }).toBe(2);

  const expectCount = async (count: number) => {
    await page.goto(`/?destinationId=${destination.id}`);
    await expect(page.getByTestId('queue-failed')).toHaveText(String(count));
    await page.goto('/destinations');
    await expect(page.getByTestId(`destination-row-${name}`)).toContainText(`${count} failed`);
    await page.goto(`/destinations/${destination.id}`);
    await expect(page.getByText(`· ${count} failed`)).toBeVisible();
    await page.goto(`/failed?destinationId=${destination.id}`);
    await expect(page.getByTestId('failed-total')).toHaveText(String(count));
  };
  await expectCount(1);

  await page.goto('/alerts');
  await expect(page.locator('tr').filter({ hasText: name }).filter({ hasText: 'Delivery gave up' })).toHaveCount(1);

  // The last one replayed: nothing waits, and the alert resolved itself.
  await post(page.request, `/api/v1/events/${events[2]}/replay`, { destinationId: destination.id });
  await expect.poll(async () => (await deliveriesOf(page, destination.id, 'succeeded')).length, { timeout: 30_000 }).toBe(3);
  await page.goto(`/?destinationId=${destination.id}`);
  await expect(page.getByTestId('queue-failed')).toHaveText('0');
  // The worker's sweep resolves it within a couple of seconds (longer on a loaded machine); the page is not live.
  const row = page.locator('tr').filter({ hasText: name }).filter({ hasText: 'Delivery gave up' });
  await expect(async () => {
    await page.goto('/alerts?status=resolved');
    await expect(row.getByTestId('resolved-by-system')).toContainText('every failed delivery was replayed successfully', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
});

test('the failed queue updates by itself, replays a whole group after confirmation, and shows how the replay ended', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const origin = new URL(page.url()).origin;
  const sink = await post(page.request, '/api/v1/sources', { name: `Inbox sink ${run}`, provider: 'none' });
  const shop = await post(page.request, '/api/v1/sources', { name: `Inbox shop ${run}`, provider: 'none', dedupJsonPath: 'id' });
  const name = `Inbox receiver ${run}`;
  const destination = await post(page.request, '/api/v1/destinations', { name, url: 'http://127.0.0.1:9/down', retrySchedule: [0] });
  await post(page.request, '/api/v1/routes', { sourceId: shop.id, destinationId: destination.id });
  await ingest(page, shop.slug, 2, 'evt_inbox_a');
  await expect.poll(async () => (await deliveriesOf(page, destination.id, 'failed')).length, { timeout: 30_000 }).toBe(2);

  await page.goto(`/failed?destinationId=${destination.id}`);
  await expect(page.getByTestId('failed-total')).toHaveText('2');
  // A new failure shows up without a reload.
  await ingest(page, shop.slug, 1, 'evt_inbox_b');
  await expect(page.getByTestId('failed-total')).toHaveText('3', { timeout: 20_000 });

  expect((await page.request.patch(`/api/v1/destinations/${destination.id}`, { data: { url: `${origin}/api/ingest/${sink.slug}` } })).ok()).toBe(true);
  const group = page.getByTestId('failed-group').filter({ hasText: name });
  await group.getByRole('button', { name: /Replay the 3 deliveries of this group/ }).click();
  const dialog = page.getByRole('dialog', { name: new RegExp(`Replay 3 deliveries of ${name}`) });
  await expect(dialog.getByTestId('replay-count')).toContainText('3 in this group');
  await dialog.getByRole('button', { name: 'Replay 3 deliveries' }).click();
  const outcome = page.getByTestId('replay-outcome');
  await expect(outcome).toHaveAttribute('data-done', 'true', { timeout: 30_000 });
  await expect(outcome).toContainText('Replay finished: 3 succeeded, 0 failed again');
  await expect(page.getByTestId('failed-total')).toHaveText('0');
});

test('a bulk replay whose deliveries an open circuit holds says so, instead of "Completed · 0 succeeded · N on the way"', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const shop = await post(page.request, '/api/v1/sources', { name: `Held replay shop ${run}`, provider: 'none', dedupJsonPath: 'id' });
  const name = `Held replay receiver ${run}`;
  const destination = await post(page.request, '/api/v1/destinations', { name, url: 'http://127.0.0.1:9/down', retrySchedule: [0] });
  await post(page.request, '/api/v1/routes', { sourceId: shop.id, destinationId: destination.id });
  // Ten single-attempt failures in a row: each gives up, and the tenth opens the circuit.
  await ingest(page, shop.slug, 10, 'evt_held_replay');
  await expect.poll(async () => (await deliveriesOf(page, destination.id, 'failed')).length, { timeout: 30_000 }).toBe(10);

  // Replayed while the receiver is still down: the circuit holds every replay.
  const replay = await post(page.request, '/api/v1/replays', { filter: { destinationId: destination.id, status: 'failed' } });
  await expect.poll(async () => (await deliveriesOf(page, destination.id, 'held')).length, { timeout: 30_000 }).toBe(10);
  await page.goto(`/failed?destinationId=${destination.id}&replay=${replay.id}`);
  const panel = page.getByTestId('replay-progress');
  await expect(panel.getByTestId('replay-status')).toHaveText('Held by the circuit', { timeout: 20_000 });
  await expect(panel.getByTestId('replay-held')).toContainText('10 held by the circuit, next probe at');
  await expect(panel).toContainText('0 on the way');
  // Still cancellable, not "Dismiss": the replay's deliveries have not gone out.
  await expect(panel.getByRole('button', { name: 'Cancel replay' })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Dismiss the replay progress' })).toHaveCount(0);
});

test('re-enabling a disabled destination resolves its circuit-open alert on the Alerts page', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const origin = new URL(page.url()).origin;
  const sink = await post(page.request, '/api/v1/sources', { name: `Re-enable sink ${run}`, provider: 'none' });
  const shop = await post(page.request, '/api/v1/sources', { name: `Re-enable shop ${run}`, provider: 'none', dedupJsonPath: 'id' });
  const name = `Re-enable receiver ${run}`;
  // One event of eleven attempts: the tenth failure in a row opens the circuit, the last attempt waits behind it.
  const destination = await post(page.request, '/api/v1/destinations', { name, url: 'http://127.0.0.1:9/down', retrySchedule: new Array(11).fill(0) });
  await post(page.request, '/api/v1/routes', { sourceId: shop.id, destinationId: destination.id });
  await ingest(page, shop.slug, 1, 'evt_reenable');
  await expect
    .poll(
      async () => {
        const answer = (await (await page.request.get(`/api/v1/alerts?status=open&destinationId=${destination.id}`)).json()) as { data: { kind: string }[] };
        return answer.data.map((alert) => alert.kind);
      },
      { timeout: 30_000 },
    )
    .toContain('destination_circuit_open');

  // Disabled (DELETE), then fixed and re-enabled from its page.
  expect((await page.request.delete(`/api/v1/destinations/${destination.id}`)).ok()).toBe(true);
  expect((await page.request.patch(`/api/v1/destinations/${destination.id}`, { data: { url: `${origin}/api/ingest/${sink.slug}` } })).ok()).toBe(true);
  await page.goto('/alerts');
  const open = page.locator('tr').filter({ hasText: name }).filter({ hasText: 'Circuit open' });
  await expect(open).toHaveCount(1);
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Re-enable', exact: true }).click();
  await expect(page.getByText(/^Resumed/)).toBeVisible();

  // Resolved at once (same transaction as the re-enable), by the system, saying why.
  await page.goto('/alerts');
  await expect(open).toHaveCount(0);
  await page.goto('/alerts?status=resolved');
  const resolved = page.locator('tr').filter({ hasText: name }).filter({ hasText: 'Circuit open' });
  await expect(resolved).toHaveCount(1);
  await expect(resolved.getByTestId('resolved-by-system')).toContainText('Resolved automatically');
  await expect(resolved.getByTestId('resolved-by-system')).toContainText('the circuit was reset when the destination was re-enabled');
  // The delivery the circuit held goes out to the fixed receiver.
  await expect.poll(async () => (await deliveriesOf(page, destination.id, 'succeeded')).length, { timeout: 30_000 }).toBe(1);
});
