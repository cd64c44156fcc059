/**
 * Shared by the page-wide browser tests (layout at 1024x768, accessibility): signing in, the
 * dashboard's pages as found on disk, and a little real traffic so every page has rows to show.
 */
import { type APIRequestContext, expect, type Page } from '@playwright/test';
import { E2E_ADMIN } from './credentials';

export { dashboardRoutes, fillRoute } from '../../../scripts/dashboard-routes';

export async function signIn(page: Page, email = E2E_ADMIN.email, password = E2E_ADMIN.password) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toHaveText(email);
}

export async function post(api: APIRequestContext, url: string, data: unknown) {
  const response = await api.post(url, { data });
  expect(response.status(), `${url}: ${await response.text()}`).toBeLessThan(300);
  return response.json();
}

export interface Traffic {
  sourceId: string;
  destinationId: string;
  eventId: string;
  /** The broken destination's open alert. */
  alertId: string;
}

/**
 * A source with Stripe-like event types, a destination that answers 202 (another Hookyard source,
 * through a route with a transform) and one that refuses connections and gives up at once, so that
 * the events, failed, alerts and audit pages all have rows. Waits until the failure has raised its alert.
 */
export async function seedTraffic(page: Page): Promise<Traffic> {
  const api = page.request;
  const origin = new URL(page.url()).origin;
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const sink = await post(api, '/api/v1/sources', { name: `Layout sink ${run}`, provider: 'none' });
  const shop = await post(api, '/api/v1/sources', { name: `Layout shop ${run}`, provider: 'none', eventTypeJsonPath: 'type', dedupJsonPath: 'id' });
  const healthy = await post(api, '/api/v1/destinations', { name: `Layout receiver ${run}`, url: `${origin}/api/ingest/${sink.slug}` });
  const broken = await post(api, '/api/v1/destinations', { name: `Layout broken receiver ${run}`, url: 'http://127.0.0.1:9/hooks', retrySchedule: [0] });
  // A transform on the healthy route, so that the event page shows a transformed request beside the original.
  await post(api, '/api/v1/routes', {
    sourceId: shop.id,
    destinationId: healthy.id,
    transform: "function transform(event) {\n  event.headers['x-seeded'] = 'yes';\n  event.body = { wrapped: event.body };\n  return event;\n}",
  });
  await post(api, '/api/v1/routes', { sourceId: shop.id, destinationId: broken.id });
  const types = ['charge.succeeded', 'customer.subscription.trial_will_end', 'invoice.payment_failed'];
  let eventId = '';
  for (const [i, type] of types.entries()) {
    const response = await api.post(`/api/ingest/${shop.slug}`, { data: { id: `evt_${run}_${i}`, type, data: { amount: 100 * i } } });
    expect(response.status()).toBe(202);
    eventId ||= ((await response.json()) as { id: string }).id;
  }
  // The first event's delivery through the transform has gone out, so its page shows the transformed request.
  await expect
    .poll(
      async () => {
        const event = (await (await api.get(`/api/v1/events/${eventId}`)).json()) as {
          deliveries: { attempts: { request: { transformed?: boolean } | null }[] }[];
        };
        return event.deliveries.some((delivery) => delivery.attempts.some((attempt) => attempt.request?.transformed === true));
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  let alertId = '';
  await expect
    .poll(
      async () => {
        const alerts = (await (await api.get(`/api/v1/alerts?status=open&destinationId=${broken.id}`)).json()) as { data: { id: string }[] };
        alertId = alerts.data[0]?.id ?? '';
        return alerts.data.length;
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(0);
  return { sourceId: shop.id, destinationId: broken.id, eventId, alertId };
}
