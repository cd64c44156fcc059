/**
 * Broker destinations in the dashboard, end to end against the real server and the real brokers
 * on this machine (RabbitMQ on 5672, Redis on 6379, NATS JetStream on 4222): an admin creates a
 * RabbitMQ, a Redis Streams and a NATS destination through the form, which shows each type's
 * options as the URL is typed and the API's 422 at the options field; "Send test event" on the
 * destination page publishes through the real transport, and the test reads the message back
 * from the broker with its own client. The URL's password (or NATS token) shows as `***`; an
 * admin reveals it (audited), a SUPPORT user never gets the control and the server refuses them.
 *
 * Under CI=true every broker must be there; elsewhere a broker not listening skips its test and
 * says so (as tests/integration/destination-brokers.test.ts does).
 */
import { randomBytes } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { connect as amqpConnect, type GetMessage } from 'amqplib';
import { connect as natsConnect } from 'nats';
import { createClient } from 'redis';
import { BROKER_PORTS, type BrokerName, localBrokers } from '../support/local-brokers';
import { seriousViolations } from './support/axe';
import { post, signIn } from './support/dashboard';

test.describe.configure({ mode: 'serial' });

const BROKER_LABELS = { amqp: 'RabbitMQ', redis: 'Redis', nats: 'NATS' } as const;

/** Skips the running test (outside CI) when the broker is not listening, and says so (tests/support/local-brokers.ts). */
async function requireBroker(name: BrokerName) {
  const up = (await localBrokers())[name];
  const where = `${BROKER_LABELS[name]} is not listening on 127.0.0.1:${BROKER_PORTS[name]}`;
  if (!up && process.env.CI !== 'true') console.warn(`broker-destinations: ${where}; its test is skipped`);
  test.skip(!up && process.env.CI !== 'true', where);
}

const suffix = randomBytes(3).toString('hex');
const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const state: { rabbitId?: string; rabbitName?: string } = {};

async function settle(page: Page) {
  await page.waitForLoadState('load');
  await page.waitForTimeout(300);
}

async function expectNoSeriousViolations(page: Page, where: string) {
  expect((await seriousViolations(page)).map((violation) => `${where}: ${violation}`)).toEqual([]);
}

/** Fills the form's name and URL; the type follows the URL's scheme. */
async function startForm(page: Page, name: string, url: string) {
  await page.goto('/destinations/new');
  await expect(page.getByRole('heading', { name: 'New destination', level: 1 })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('URL', { exact: true }).fill(url);
}

/** Creates the destination, passes the one-time signing secret, and lands on its page; returns its id. */
async function createAndOpen(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: 'Create destination' }).click();
  await expect(page.getByTestId('new-signing-secret')).toHaveText(/^whsec_/);
  await page.getByRole('link', { name: 'Continue to the destination →' }).click();
  await expect(page).toHaveURL(/\/destinations\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  return page.url().split('/').pop()!;
}

async function sendTestEvent(page: Page) {
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByTestId('test-delivery-result')).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
}

test('an admin creates a RabbitMQ destination through the form, test-sends to a bound queue, and reveals the password', async ({ page }, testInfo) => {
  await requireBroker('amqp');
  const connection = await amqpConnect(AMQP_URL);
  const channel = await connection.createChannel();
  const queue = (await channel.assertQueue('', { exclusive: true })).queue;
  const prefix = `hookyard.e2e.${suffix}`;
  await channel.bindQueue(queue, 'amq.topic', `${prefix}.#`);
  try {
    await signIn(page);
    const name = `RabbitMQ e2e ${suffix}`;
    await startForm(page, name, AMQP_URL);
    // The scheme picks the type: RabbitMQ's options appear, HTTP's custom headers go.
    await expect(page.getByLabel('Type', { exact: true })).toHaveValue('amqp');
    await expect(page.getByLabel('Exchange')).toBeVisible();
    await expect(page.getByLabel('Routing key')).toBeVisible();
    await expect(page.getByText('{eventType} and {source} are replaced').first()).toBeVisible();
    await expect(page.getByRole('button', { name: '+ Add header' })).toHaveCount(0);
    await page.getByLabel('Exchange').fill('amq.topic');

    // The API's 422 for the missing routing key lands at that field (the browser's own check is
    // taken off, so the server's answer is what shows).
    await page.getByLabel('Routing key').evaluate((input: HTMLInputElement) => input.removeAttribute('required'));
    await page.getByRole('button', { name: 'Create destination' }).click();
    await expect(page.locator('#dst-options\\.routingKey-error')).toContainText('Give a routing key');
    await expect(page.getByLabel('Routing key')).toHaveAttribute('aria-invalid', 'true');
    await settle(page);
    await page.screenshot({ path: testInfo.outputPath('rabbitmq-new-validation.png'), fullPage: true });
    await expectNoSeriousViolations(page, 'RabbitMQ form with a routing key error');

    await page.getByLabel('Routing key').fill(`${prefix}.{source}.{eventType}`);
    await expect(page.locator('#dst-options\\.routingKey-error')).toHaveCount(0);
    const id = await createAndOpen(page, name);
    state.rabbitId = id;
    state.rabbitName = name;

    // The type, its options and the URL with its password masked.
    await expect(page.getByTestId('destination-type-badge').first()).toHaveText('RabbitMQ');
    await expect(page.getByTestId('destination-url')).toHaveText('amqp://guest:***@127.0.0.1:5672');
    await expect(page.getByTestId('destination-option-Exchange')).toHaveText('amq.topic');
    await expect(page.getByTestId('destination-option-Routing key')).toHaveText(`${prefix}.{source}.{eventType}`);
    await expect(page.locator('body')).not.toContainText('guest:guest');

    await sendTestEvent(page);
    await expect(page.getByTestId('test-delivery-summary')).toContainText('Confirmed by RabbitMQ');
    await expect(page.getByTestId('test-delivery-body')).toContainText(`routing key "${prefix}.hookyard-test.hookyard.test"`);
    // The message is in the queue bound to the exchange, routed by the filled-in routing key.
    const messages: GetMessage[] = [];
    await expect
      .poll(
        async () => {
          const got = await channel.get(queue, { noAck: true });
          if (got) messages.push(got);
          return messages.length;
        },
        { timeout: 10_000 },
      )
      .toBe(1);
    const received = messages[0]!;
    expect(received.fields.routingKey).toBe(`${prefix}.hookyard-test.hookyard.test`);
    expect(JSON.parse(received.content.toString('utf8'))).toMatchObject({ type: 'hookyard.test' });
    expect(received.properties.headers?.['webhook-signature']).toMatch(/^v1,/);
    await settle(page);
    await page.screenshot({ path: testInfo.outputPath('rabbitmq-detail.png'), fullPage: true });

    // Reveal (admin, audited), then hide.
    await page.getByRole('button', { name: "Reveal the URL's password" }).click();
    await expect(page.getByTestId('revealed-url')).toHaveText(AMQP_URL);
    await expectNoSeriousViolations(page, 'RabbitMQ destination page, URL revealed');
    // The badges, the URL and the revealed one wrap on a small laptop screen instead of overflowing.
    await page.setViewportSize({ width: 1024, height: 768 });
    await settle(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: testInfo.outputPath('rabbitmq-revealed-1024.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByRole('button', { name: 'Hide', exact: true }).click();
    await expect(page.getByTestId('revealed-url')).toHaveCount(0);
    const audit = (await (await page.request.get(`/api/v1/audit?targetId=${id}`)).json()) as { data: { action: string }[] };
    expect(audit.data.map((entry) => entry.action)).toContain('destination.reveal_url');

    // Editing shows *** and keeps the stored password unless a new one is typed.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await expect(page.getByLabel('URL', { exact: true })).toHaveValue('amqp://guest:***@127.0.0.1:5672');
    await expect(page.getByLabel('Routing key')).toHaveValue(`${prefix}.{source}.{eventType}`);
    await page.getByLabel('Timeout (seconds)').fill('10');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
    await expect(page.getByText('10 s', { exact: true })).toBeVisible();
    await sendTestEvent(page);
    await expect(page.getByTestId('test-delivery-summary')).toContainText('Confirmed by RabbitMQ');
    await expect.poll(async () => (await channel.get(queue, { noAck: true })) !== false, { timeout: 10_000 }).toBe(true);
  } finally {
    await connection.close();
  }
});

test('an admin creates a Redis Streams destination and the test entry is in the stream', async ({ page }, testInfo) => {
  await requireBroker('redis');
  const stream = `hookyard-e2e-${suffix}`;
  const client = createClient({ url: 'redis://127.0.0.1:6379' });
  await client.connect();
  try {
    await signIn(page);
    const name = `Redis e2e ${suffix}`;
    await page.goto('/destinations/new');
    // Choosing the type first shows its example URL and its options.
    await page.getByLabel('Type', { exact: true }).selectOption('redis');
    await expect(page.getByLabel('URL', { exact: true })).toHaveAttribute('placeholder', 'redis://user:password@host:6379/0');
    await expect(page.getByLabel('Stream')).toBeVisible();
    await expect(page.getByLabel('Max length')).toBeVisible();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('URL', { exact: true }).fill('redis://127.0.0.1:6379');
    await page.getByLabel('Stream').fill(stream);
    await page.getByLabel('Max length').fill('1000');
    await settle(page);
    await expectNoSeriousViolations(page, 'Redis form');
    await page.screenshot({ path: testInfo.outputPath('redis-new.png'), fullPage: true });
    const id = await createAndOpen(page, name);

    await expect(page.getByTestId('destination-type-badge').first()).toHaveText('Redis Streams');
    await expect(page.getByTestId('destination-option-Stream')).toHaveText(stream);
    await expect(page.getByTestId('destination-option-Max length')).toHaveText('1,000');
    // No password in this URL: nothing to reveal.
    await expect(page.getByRole('button', { name: "Reveal the URL's password" })).toHaveCount(0);

    await sendTestEvent(page);
    await expect(page.getByTestId('test-delivery-summary')).toContainText('Added to Redis');
    const entries = (await client.xRange(stream, '-', '+')) ?? [];
    expect(entries).toHaveLength(1);
    await expect(page.getByTestId('test-delivery-body')).toContainText(entries[0]!.id);
    expect(entries[0]!.message).toMatchObject({ event_type: 'hookyard.test', source: 'hookyard-test' });
    expect(JSON.parse(entries[0]!.message.body!)).toMatchObject({ type: 'hookyard.test' });

    // A real event routed here: its attempt reads as the broker's confirmation, not "No response".
    const source = await post(page.request, '/api/v1/sources', { name: `Redis feed ${suffix}`, provider: 'none', eventTypeJsonPath: 'type' });
    await post(page.request, '/api/v1/routes', { sourceId: source.id, destinationId: id });
    const ingested = await page.request.post(`/api/ingest/${source.slug}`, { data: { type: 'order.created', id: `ord_${suffix}` } });
    expect(ingested.status()).toBe(202);
    const { id: eventId } = (await ingested.json()) as { id: string };
    await expect.poll(() => client.xLen(stream), { timeout: 30_000 }).toBe(2);
    const [, routed] = (await client.xRange(stream, '-', '+')) ?? [];
    expect(routed!.message).toMatchObject({ event_type: 'order.created', source: source.slug });
    await page.goto(`/events/${eventId}`);
    const attempt = page.getByTestId('attempt').first();
    await expect(attempt).toContainText('Added to Redis', { timeout: 15_000 });
    await expect(attempt.getByTestId('broker-answer')).toContainText(`as entry ${routed!.id}`);
    await expect(attempt).not.toContainText('No response');
    await expect(attempt.getByTestId('sent-url')).toHaveText('Published to redis://127.0.0.1:6379');
    await settle(page);
    await page.screenshot({ path: testInfo.outputPath('redis-event-detail.png'), fullPage: true });
    await expectNoSeriousViolations(page, 'event detail of a Redis delivery');
    await page.goto(`/destinations/${id}`);
    await expect(page.getByTestId('recent-delivery').first()).toHaveAttribute('data-status', 'succeeded');
  } finally {
    await client.del(stream);
    client.destroy();
  }
});

test('an admin creates a NATS JetStream destination with a token, sees it as ***, reveals it, and the stream holds the test message', async ({
  page,
}, testInfo) => {
  await requireBroker('nats');
  const nc = await natsConnect({ servers: '127.0.0.1:4222' });
  const jsm = await nc.jetstreamManager();
  const stream = `HOOKYARD_E2E_${suffix}`;
  await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
  // A user-only NATS URL names a token (the machine's NATS has no auth and accepts any): a secret like a password.
  const token = `e2e-nats-token-${suffix}`;
  try {
    await signIn(page);
    const name = `NATS e2e ${suffix}`;
    await startForm(page, name, `nats://${token}@127.0.0.1:4222`);
    await expect(page.getByLabel('Type', { exact: true })).toHaveValue('nats');
    await expect(page.getByLabel('Routing key')).toHaveCount(0);
    await page.getByLabel('Subject').fill(`${stream}.{source}.{eventType}`);
    await settle(page);
    await page.screenshot({ path: testInfo.outputPath('nats-new.png'), fullPage: true });
    await createAndOpen(page, name);

    await expect(page.getByTestId('destination-url')).toHaveText('nats://***@127.0.0.1:4222');
    expect(await page.content()).not.toContain(token);
    await page.getByRole('button', { name: "Reveal the URL's password" }).click();
    await expect(page.getByTestId('revealed-url')).toHaveText(`nats://${token}@127.0.0.1:4222`);
    await page.getByRole('button', { name: 'Hide', exact: true }).click();
    await expect(page.getByTestId('revealed-url')).toHaveCount(0);

    await expect(page.getByTestId('destination-type-badge').first()).toHaveText('NATS JetStream');
    await expect(page.getByTestId('destination-option-Subject')).toHaveText(`${stream}.{source}.{eventType}`);
    await sendTestEvent(page);
    await expect(page.getByTestId('test-delivery-summary')).toContainText('Acknowledged by JetStream');
    await expect(page.getByTestId('test-delivery-body')).toContainText('seq 1');
    const message = await jsm.streams.getMessage(stream, { seq: 1 });
    expect(message.subject).toBe(`${stream}.hookyard-test.hookyard.test`);
    expect(JSON.parse(Buffer.from(message.data).toString('utf8'))).toMatchObject({ type: 'hookyard.test' });
    expect(message.header.get('Nats-Msg-Id')).toBe(message.header.get('webhook-id'));

    // The list names each broker destination's type and options.
    await page.goto('/destinations');
    await expect(page.getByTestId(`destination-row-${name}`)).toContainText('NATS JetStream');
    await expect(page.getByTestId(`destination-row-${name}`)).toContainText(`subject "${stream}.{source}.{eventType}"`);
    expect(await page.content()).not.toContain(token);
  } finally {
    await jsm.streams.delete(stream);
    await nc.close();
  }
});

test("a message RabbitMQ cannot route fails with the broker's reason, in the timeline and the failed queue, never as an HTTP status", async ({ page }) => {
  await requireBroker('amqp');
  await signIn(page);
  const source = await post(page.request, '/api/v1/sources', { name: `Unroutable feed ${suffix}`, provider: 'none', eventTypeJsonPath: 'type' });
  const destination = await post(page.request, '/api/v1/destinations', {
    name: `RabbitMQ nowhere ${suffix}`,
    url: AMQP_URL,
    options: { routingKey: `hookyard-e2e-no-such-queue-${suffix}` },
    retrySchedule: [0],
  });
  await post(page.request, '/api/v1/routes', { sourceId: source.id, destinationId: destination.id });
  const ingested = await page.request.post(`/api/ingest/${source.slug}`, { data: { type: 'order.created', id: `lost_${suffix}` } });
  expect(ingested.status()).toBe(202);
  const { id: eventId } = (await ingested.json()) as { id: string };
  await expect
    .poll(
      async () => {
        const answer = (await (await page.request.get(`/api/v1/deliveries?destinationId=${destination.id}`)).json()) as { data: { status: string }[] };
        return answer.data[0]?.status;
      },
      { timeout: 30_000 },
    )
    .toBe('failed');

  await page.goto(`/events/${eventId}`);
  const attempt = page.getByTestId('attempt').first();
  await expect(attempt).toContainText('Not confirmed');
  await expect(attempt).toContainText('Broker had no route');
  await expect(attempt).not.toContainText('HTTP');
  await expect(attempt).not.toContainText('No response');
  await expect(attempt.getByTestId('broker-answer')).toHaveCount(0);

  await page.goto(`/failed?destinationId=${destination.id}`);
  await expect(page.locator('main')).toContainText('Broker had no route');
  await expect(page.locator('main')).not.toContainText('HTTP null');
});

test('a SUPPORT user sees the masked URL without Reveal, and the server refuses the reveal', async ({ page, browser }) => {
  await requireBroker('amqp');
  test.skip(!state.rabbitId, 'needs the RabbitMQ destination of the first test');
  await signIn(page);
  const email = `support-broker-${suffix}@e2e.test`;
  const created = await page.request.post('/api/v1/users', { data: { email, role: 'SUPPORT' } });
  expect(created.status()).toBe(201);
  const { password } = (await created.json()) as { password: string };

  // The admin's reveal, captured to be replayed with the SUPPORT user's session.
  await page.goto(`/destinations/${state.rabbitId}`);
  const revealRequest = page.waitForRequest((request) => request.method() === 'POST' && Boolean(request.headers()['next-action']));
  await page.getByRole('button', { name: "Reveal the URL's password" }).click();
  const captured = await revealRequest;
  await expect(page.getByTestId('revealed-url')).toHaveText(AMQP_URL);

  const context = await browser.newContext();
  const support = await context.newPage();
  try {
    await signIn(support, email, password);
    await support.goto(`/destinations/${state.rabbitId}`);
    await expect(support.getByRole('heading', { name: state.rabbitName!, level: 1 })).toBeVisible();
    await expect(support.getByTestId('destination-url')).toHaveText('amqp://guest:***@127.0.0.1:5672');
    await expect(support.getByRole('button', { name: /Reveal/ })).toHaveCount(0);
    await expect(support.getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);
    await expect(support.locator('body')).not.toContainText('guest:guest');

    const api = await support.request.post(`/api/v1/destinations/${state.rabbitId}/reveal-url`, { headers: { origin: new URL(support.url()).origin } });
    expect(api.status()).toBe(403);
    expect(await api.text()).not.toContain('guest:guest');

    const headers = Object.fromEntries(
      Object.entries(await captured.allHeaders()).filter(([name]) => !name.startsWith(':') && !['cookie', 'content-length', 'host'].includes(name)),
    );
    const replay = await support.request.post(captured.url(), { headers, data: captured.postData() ?? '' });
    const answer = await replay.text();
    expect(answer).toContain('forbidden');
    expect(answer).not.toContain('guest:guest');
  } finally {
    await context.close();
  }
});
