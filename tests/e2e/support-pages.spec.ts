/**
 * Issue 17, the support workflow: every list that says it is live updates, event detail shows the
 * request Hookyard sent, the destination page is the hub, routes are added from both sides, and
 * the new-source form previews the slug that will really be used.
 */
import { expect, test } from '@playwright/test';
import { post, signIn } from './support/dashboard';
import { type Sink, startSink } from '../support/sink';

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

test('the events page takes new events from the event stream: they appear while the list API cannot be reached', async ({ page }) => {
  await signIn(page);
  const source = await post(page.request, '/api/v1/sources', { name: `Live stream ${run()}`, provider: 'none' });
  const streams: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/events/stream') streams.push(request.url());
  });
  await page.goto(`/events?sourceId=${source.id}`);
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  await expect.poll(() => streams.length).toBeGreaterThan(0);
  expect(new URL(streams[0]!).searchParams.get('sourceId')).toBe(source.id);
  // From now on the list's own API fails: only the stream can bring the event.
  await page.route(
    (url) => url.pathname === '/api/v1/events',
    (route) => route.abort(),
  );
  const response = await page.request.post(`/api/ingest/${source.slug}`, { data: { hello: 'stream' } });
  expect(response.status()).toBe(202);
  const { id } = (await response.json()) as { id: string };
  await expect(page.locator(`[data-testid="event-row"][data-event-id="${id}"]`)).toBeVisible({ timeout: 10_000 });
});

test.describe('event detail shows what was sent', () => {
  let sink: Sink;
  test.beforeAll(async () => {
    sink = await startSink();
    sink.on('/ok', () => 200);
    sink.on('/bad', () => ({ status: 500, body: 'database is on fire' }));
  });
  test.afterAll(async () => {
    await sink?.close();
  });

  test('the request per attempt (masked for a viewer), the failing body inline, and replay-all confirms naming delivered destinations', async ({
    page,
    browser,
  }) => {
    test.setTimeout(120_000);
    await signIn(page);
    const api = page.request;
    const tag = run();
    const source = await post(api, '/api/v1/sources', { name: `Sent ${tag}`, provider: 'none' });
    const token = `Bearer tok-${tag}-very-secret`;
    const ok = await post(api, '/api/v1/destinations', { name: `Sent ok ${tag}`, url: `${sink.url}/ok`, headers: { authorization: token } });
    const bad = await post(api, '/api/v1/destinations', { name: `Sent bad ${tag}`, url: `${sink.url}/bad`, retrySchedule: [0] });
    await post(api, '/api/v1/routes', { sourceId: source.id, destinationId: ok.id });
    await post(api, '/api/v1/routes', { sourceId: source.id, destinationId: bad.id });
    const { id } = (await (await api.post(`/api/ingest/${source.slug}`, { data: { hello: 'sent' } })).json()) as { id: string };
    await expect
      .poll(async () => {
        const event = (await (await api.get(`/api/v1/events/${id}`)).json()) as { deliveries: { status: string }[] };
        return event.deliveries.map((delivery) => delivery.status).sort();
      })
      .toEqual(['failed', 'succeeded']);

    await page.goto(`/events/${id}`);
    const okCard = page.locator(`[data-testid="delivery"][data-destination="Sent ok ${tag}"]`);
    const badCard = page.locator(`[data-testid="delivery"][data-destination="Sent bad ${tag}"]`);
    // The receiver's answer is shown at once, not behind "HTTP 500".
    await expect(badCard.getByTestId('failure-body')).toContainText('database is on fire');
    // The request as sent: URL, Standard Webhooks headers, the destination's own header (an admin sees its value).
    await okCard.getByText('Request sent').click();
    await expect(okCard.getByTestId('sent-url')).toHaveText(`POST ${sink.url}/ok`);
    const sentHeaders = okCard.getByTestId('sent-headers');
    const received = sink.received.find((request) => request.path === '/ok' && request.headers['x-hookyard-event-id'] === id)!;
    await expect(sentHeaders).toContainText(String(received.headers['webhook-id']));
    await expect(sentHeaders).toContainText(String(received.headers['webhook-signature']));
    await expect(sentHeaders).toContainText(token);

    // Replay to all asks first, naming the destination that already has the event; Cancel sends nothing.
    await page.getByRole('button', { name: 'Replay to all 2 destinations' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('already-succeeded')).toHaveText(`Sent ok ${tag}`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    const after = (await (await api.get(`/api/v1/events/${id}`)).json()) as { deliveries: unknown[] };
    expect(after.deliveries).toHaveLength(2);

    // A viewer sees the token and the signature masked, in the page and in the API (masked on the server).
    const email = `viewer-sent-${tag}@e2e.test`;
    const password = `viewer-password-${tag}-long`;
    expect((await api.post('/api/v1/users', { data: { email, role: 'VIEWER', password } })).status()).toBe(201);
    const context = await browser.newContext();
    const viewer = await context.newPage();
    await signIn(viewer, email, password);
    const asViewer = (await (await viewer.request.get(`/api/v1/events/${id}`)).json()) as {
      deliveries: { destination: { id: string }; attempts: { request: { headers: Record<string, string>; maskedHeaders: string[] } | null }[] }[];
    };
    const sent = asViewer.deliveries.find((delivery) => delivery.destination.id === ok.id)!.attempts[0]!.request!;
    expect(sent.headers['webhook-id']).toBe(received.headers['webhook-id']);
    expect(sent.headers.authorization).not.toContain('very-secret');
    expect(sent.headers['webhook-signature']).not.toBe(received.headers['webhook-signature']);
    expect(sent.maskedHeaders.sort()).toEqual(['authorization', 'webhook-signature']);
    await viewer.goto(`/events/${id}`);
    const viewerCard = viewer.locator(`[data-testid="delivery"][data-destination="Sent ok ${tag}"]`);
    await viewerCard.getByText('Request sent').click();
    await expect(viewerCard.getByTestId('sent-headers')).not.toContainText('very-secret');
    await context.close();
  });
});

test.describe('the destination page is the hub', () => {
  let sink: Sink;
  test.beforeAll(async () => {
    sink = await startSink();
  });
  test.afterAll(async () => {
    await sink?.close();
  });

  test('it lists recent deliveries with links to their events, links to its events and failures, and sends a signed test event', async ({ page }) => {
    test.setTimeout(90_000);
    await signIn(page);
    const api = page.request;
    const tag = run();
    const source = await post(api, '/api/v1/sources', { name: `Hub ${tag}`, provider: 'none', eventTypeJsonPath: 'type' });
    const destination = await post(api, '/api/v1/destinations', { name: `Hub receiver ${tag}`, url: `${sink.url}/hub` });
    await post(api, '/api/v1/routes', { sourceId: source.id, destinationId: destination.id });
    const { id } = (await (await api.post(`/api/ingest/${source.slug}`, { data: { type: 'hub.checked' } })).json()) as { id: string };

    await page.goto(`/destinations/${destination.id}`);
    const row = page.locator(`[data-testid="recent-delivery"][data-event-id="${id}"]`);
    await expect(row).toBeVisible();
    await expect(page.getByTestId('destination-events-link')).toHaveAttribute('href', `/events?destinationId=${destination.id}`);
    await expect(page.getByTestId('destination-failed-link')).toHaveAttribute('href', `/failed?destinationId=${destination.id}`);
    await row.getByRole('link', { name: 'hub.checked' }).click();
    await expect(page).toHaveURL(new RegExp(`/events/${id}`));

    await page.goto(`/destinations/${destination.id}`);
    const before = sink.received.length;
    await page.getByRole('button', { name: 'Send test event' }).click();
    await expect(page.getByTestId('test-delivery-result')).toHaveAttribute('data-ok', 'true');
    await expect(page.getByTestId('test-delivery-result')).toContainText('200');
    const testRequest = sink.received.slice(before).find((request) => request.headers['x-hookyard-test'] === 'true');
    expect(testRequest?.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(testRequest!.body.toString()).type).toBe('hookyard.test');
  });
});

test('routes can be added from the source page too, and both pickers are sorted, searchable and show slugs or URLs', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const api = page.request;
  const tag = run();
  const spaced = await post(api, '/api/v1/sources', { name: `ux stripe pay ${tag}`, provider: 'none' });
  const dashed = await post(api, '/api/v1/sources', { name: `ux-stripe-pay ${tag}`, provider: 'none' });
  const alpha = await post(api, '/api/v1/sources', { name: `a first ${tag}`, provider: 'none' });
  const destination = await post(api, '/api/v1/destinations', { name: `Picker receiver ${tag}`, url: `http://127.0.0.1:9/picker-${tag}` });

  // From the destination: the source picker, narrowed by a search, sorted, each with its slug.
  await page.goto(`/destinations/${destination.id}`);
  await page.getByRole('button', { name: 'Add route' }).first().click();
  let dialog = page.getByRole('dialog', { name: 'Add a route' });
  await dialog.getByLabel('Find by name or slug').fill(tag);
  const options = dialog.locator('#route-source option');
  await expect(options).toHaveCount(3);
  const texts = await options.allTextContents();
  expect(texts[0]).toContain(alpha.slug);
  expect(texts.findIndex((text) => text.includes(spaced.slug))).not.toBe(texts.findIndex((text) => text.includes(dashed.slug)));
  for (const slug of [alpha.slug, spaced.slug, dashed.slug]) expect(texts.some((text) => text.includes(slug))).toBe(true);
  await dialog.getByLabel('Find by name or slug').fill(dashed.slug);
  await expect(options).toHaveCount(1);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // From the source: the destination picker shows URLs; saving adds the route on both pages.
  await page.goto(`/sources/${spaced.id}`);
  await page.getByRole('button', { name: 'Add route' }).click();
  dialog = page.getByRole('dialog', { name: 'Add a route' });
  await dialog.getByLabel('Find by name or URL').fill(`picker-${tag}`);
  await expect(dialog.locator('#route-destination option')).toHaveCount(1);
  await expect(dialog.locator('#route-destination option')).toContainText(`http://127.0.0.1:9/picker-${tag}`);
  await dialog.getByRole('button', { name: 'Add route' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('link', { name: `Picker receiver ${tag}` })).toBeVisible();
  await page.goto(`/destinations/${destination.id}`);
  await expect(page.getByTestId(`route-${spaced.slug}`)).toBeVisible();
});

test('the new-source form previews the slug that will really be used when the derived one is taken', async ({ page }) => {
  await signIn(page);
  const tag = run();
  const existing = await post(page.request, '/api/v1/sources', { name: `Preview ${tag}`, provider: 'none' });
  await page.goto('/sources/new');
  await page.getByLabel('Name', { exact: true }).fill(`Preview ${tag}`);
  await expect(page.getByTestId('ingest-url-preview')).toHaveText(new RegExp(`/api/ingest/${existing.slug}-2$`));
  await expect(page.getByTestId('slug-note')).toContainText(`${existing.slug}-2`);
  await page.getByLabel('Slug').fill(existing.slug);
  await expect(page.getByTestId('slug-note')).toContainText('already used');
});
