/**
 * The OpenAPI document on a real server (the real launcher, scripts/start.ts, on this file's
 * database): GET /api/v1/openapi.json answers 200 signed out, and real answers of the API
 * validate against the schemas the document gives them (JSON Schema 2020-12 by Ajv), errors
 * included. This keeps the answer schemas of lib/api/responses.schema.ts and lib/api/responses/
 * honest: a field added to an answer without its schema (they are closed objects), a null where the
 * schema says string, or a string that is not a date where it says date fails here. Every
 * resource's list, get and create answers are checked, and its changes where they answer
 * something of their own.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '@/lib/api/openapi';
import { db } from '@/lib/db/prisma';
import { type Launcher, startLauncher, until } from '../faults/support/launcher';
import { type Sink, startSink } from '../support/sink';

let server: Launcher;
let sink: Sink;
let served: Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Whether `body` is what the served document says `METHOD path` answers with `status`. */
function conforms(method: string, path: string, status: number, body: unknown): string[] {
  const paths = served.paths as Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>;
  let response: { $ref?: string } | undefined = paths[path]?.[method.toLowerCase()]?.responses[String(status)];
  if (!response) return [`${method} ${path} documents no ${status} answer`];
  let at = `#/${pointer('paths', path, method.toLowerCase(), 'responses', String(status))}`;
  if (response.$ref) {
    at = response.$ref;
    response = undefined;
  }
  const validate = ajv.compile({ $ref: `openapi${at}/content/${pointer('application/json')}/schema` });
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
}

beforeAll(async () => {
  sink = await startSink();
  server = await startLauncher({
    DATABASE_URL: process.env.DATABASE_URL!,
    HOOKYARD_MASTER_KEY: process.env.HOOKYARD_MASTER_KEY!,
    AUTH_SECRET: process.env.AUTH_SECRET!,
    HOOKYARD_WEB_PROCESSES: '1',
  });
  // The first run builds the dashboard (next build): minutes on a small machine.
  await server.ready(540_000);
  const response = await fetch(`${server.baseUrl}/api/v1/openapi.json`);
  served = (await response.json()) as Record<string, unknown>;
  ajv.addSchema({ ...served, $id: 'openapi' });
}, 600_000);

afterAll(async () => {
  await server?.stop();
  await sink?.close();
  await db().$disconnect();
}, 120_000);

describe('GET /api/v1/openapi.json on a real server', () => {
  it('answers 200 without credentials, cacheable, with a valid OpenAPI 3.1 document that is the generated one', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const result = await new Validator().validate(structuredClone(served));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents real answers: sources, the events list, and errors', async () => {
    const create = await server.api<{ id: string; slug: string }>('POST', '/api/v1/sources', { name: 'OpenAPI answers', provider: 'none' });
    expect(create.status).toBe(201);
    expect(conforms('POST', '/sources', 201, create.body)).toEqual([]);

    // A source that does not verify has no secrets: 409, as documented.
    const refused = await server.api('POST', `/api/v1/sources/${create.body.id}/secrets`, { label: 'extra' });
    expect(refused.status).toBe(409);
    expect(conforms('POST', '/sources/{id}/secrets', 409, refused.body)).toEqual([]);
    const github = await server.api<{ id: string }>('POST', '/api/v1/sources', { name: 'OpenAPI GitHub', provider: 'github' });
    expect(github.status).toBe(201);
    const secret = await server.api('POST', `/api/v1/sources/${github.body.id}/secrets`, { label: 'extra' });
    expect(secret.status).toBe(201);
    expect(conforms('POST', '/sources/{id}/secrets', 201, secret.body)).toEqual([]);

    const one = await server.api('GET', `/api/v1/sources/${create.body.id}`);
    expect(one.status).toBe(200);
    expect(conforms('GET', '/sources/{id}', 200, one.body)).toEqual([]);
    const all = await server.api('GET', '/api/v1/sources');
    expect(conforms('GET', '/sources', 200, all.body)).toEqual([]);

    const ingest = await fetch(`${server.baseUrl}/api/ingest/${create.body.slug}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'order.created', id: 'evt_1' }),
    });
    expect(ingest.status).toBeLessThan(300);
    const events = await until(
      async () => {
        const page = await server.api<{ data: unknown[] }>('GET', `/api/v1/events?sourceId=${create.body.id}`);
        return page.body.data.length > 0 ? page : null;
      },
      20_000,
      'the event in the list',
    );
    expect(conforms('GET', '/events', 200, events.body)).toEqual([]);

    const missing = await server.api('GET', '/api/v1/sources/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(conforms('GET', '/sources/{id}', 404, missing.body)).toEqual([]);
    const invalid = await server.api('POST', '/api/v1/sources', { name: '', provider: 'no-such-provider' });
    expect(invalid.status).toBe(422);
    expect(conforms('POST', '/sources', 422, invalid.body)).toEqual([]);
    const signedOut = await fetch(`${server.baseUrl}/api/v1/sources`);
    expect(signedOut.status).toBe(401);
    expect(conforms('GET', '/sources', 401, await signedOut.json())).toEqual([]);

    // And the check can fail: a source is not an events page.
    expect(conforms('GET', '/events', 200, one.body)).not.toEqual([]);
  });
  /** `METHOD route` answers `status`, and that answer is what the document says; returns its body. */
  async function checked<T = Record<string, unknown>>(method: string, route: string, status: number, body?: unknown): Promise<T> {
    const answer = await server.api<T>(method, `/api/v1${route}`, body);
    expect(answer.status, `${method} ${route}: ${JSON.stringify(answer.body)}`).toBe(status);
    const documented = route.replace(/\?.*$/, '').replace(/\/[0-9a-f]{8}-[0-9a-f-]{27}(?=\/|$)/g, '/{id}');
    // Soft: one run reports every answer that its schema does not describe.
    expect.soft(conforms(method, documented, status, answer.body), `${method} ${documented} ${status}`).toEqual([]);
    return answer.body;
  }

  it('documents real answers of every resource: destinations, routes, events, deliveries, replays, alerts, channels, audit, users, API keys, overview', async () => {
    type Row = { id: string; [key: string]: unknown };
    const source = await checked<Row & { slug: string }>('POST', '/sources', 201, { name: 'OpenAPI resources', provider: 'none' });

    // Destinations
    const destination = await checked<Row>('POST', '/destinations', 201, { name: 'OpenAPI sink', url: `${sink.url}/hook`, headers: { 'x-token': 'abc' } });
    const broker = await checked<Row>('POST', '/destinations', 201, {
      name: 'OpenAPI broker',
      url: 'amqp://guest:guest@127.0.0.1:5672/',
      options: { exchange: 'hookyard', routingKey: 'events' },
    });
    await checked('GET', '/destinations', 200);
    await checked('GET', `/destinations/${destination.id}`, 200);
    await checked('GET', `/destinations/${broker.id}`, 200);
    await checked('PATCH', `/destinations/${destination.id}`, 200, { timeoutMs: 5000 });
    await checked('POST', `/destinations/${broker.id}/reveal-url`, 200);
    await checked('POST', `/destinations/${destination.id}/secrets/rotate`, 201, {});
    await checked('POST', `/destinations/${broker.id}/pause`, 200);
    await checked('POST', `/destinations/${broker.id}/resume`, 200);
    await checked('DELETE', `/destinations/${broker.id}`, 200);
    await checked('POST', `/destinations/${broker.id}/resume`, 200);

    // Routes
    const route = await checked<Row>('POST', '/routes', 201, { sourceId: source.id, destinationId: destination.id, eventTypes: ['order.*'] });
    await checked('GET', '/routes', 200);
    await checked('GET', `/routes/${route.id}`, 200);
    await checked('PATCH', `/routes/${route.id}`, 200, { eventTypes: [] });

    // An event delivered to the sink: the event, its deliveries and their attempts.
    const ingest = await fetch(`${server.baseUrl}/api/ingest/${source.slug}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'order.created', id: 'evt_resources' }),
    });
    expect(ingest.status).toBeLessThan(300);
    const deliveries = await until(
      async () => {
        const page = await server.api<{ data: { id: string; status: string; event: { id: string } }[] }>('GET', `/api/v1/deliveries?sourceId=${source.id}`);
        return page.body.data[0]?.status === 'succeeded' ? page.body : null;
      },
      30_000,
      'the delivery to succeed',
    );
    expect.soft(conforms('GET', '/deliveries', 200, deliveries)).toEqual([]);
    const delivery = deliveries.data[0]!;
    const event = await checked<{ deliveries: { attempts: unknown[] }[] }>('GET', `/events/${delivery.event.id}`, 200);
    expect(event.deliveries[0]!.attempts.length).toBeGreaterThan(0);
    await checked('GET', `/deliveries/${delivery.id}`, 200);
    await checked('POST', '/routes/test-transform', 200, { eventId: delivery.event.id, transform: 'function transform(event) { return event; }' });
    await checked('POST', '/routes/test-transform', 200, { eventId: delivery.event.id, transform: 'function transform(event) { throw new Error("no"); }' });
    await checked('POST', `/events/${delivery.event.id}/replay`, 202, {});
    await checked('POST', `/deliveries/${delivery.id}/retry`, 409);

    // Bulk replays
    await checked('POST', '/replays', 200, { filter: { sourceId: source.id }, dryRun: true });
    const replay = await checked<Row>('POST', '/replays', 202, { filter: { sourceId: source.id } });
    await checked('GET', '/replays', 200);
    await checked('GET', `/replays/${replay.id}`, 200);
    await checked('POST', `/replays/${replay.id}/cancel`, 200);

    // Alerts: raised by the rules in production; written here as the evaluator writes them.
    const alert = await db().alert.create({
      data: { kind: 'destination_disabled', destinationId: destination.id, message: 'OpenAPI test alert', details: { count: 2 } },
    });
    await checked('GET', '/alerts?status=all', 200);
    await checked('GET', `/alerts/${alert.id}`, 200);
    await checked('GET', `/alerts/${alert.id}/notifications`, 200);
    await checked('POST', `/alerts/${alert.id}/acknowledge`, 200);
    await checked('POST', `/alerts/${alert.id}/resolve`, 200);

    // Notification channels
    const channel = await checked<Row>('POST', '/notification-channels', 201, { name: 'OpenAPI hook', type: 'webhook', url: `${sink.url}/alerts` });
    expect(channel.signingSecret).toEqual(expect.any(String));
    await checked('GET', '/notification-channels', 200);
    await checked('GET', `/notification-channels/${channel.id}`, 200);
    await checked('PATCH', `/notification-channels/${channel.id}`, 200, { name: 'OpenAPI hook 2' });
    await checked('POST', `/notification-channels/${channel.id}/test`, 200);
    await checked('DELETE', `/notification-channels/${channel.id}`, 200);

    // Users and API keys
    const user = await checked<Row>('POST', '/users', 201, { email: 'openapi@example.com', role: 'VIEWER' });
    expect(user.password).toEqual(expect.any(String));
    await checked('GET', '/users', 200);
    await checked('PATCH', `/users/${user.id}`, 200, { role: 'SUPPORT' });
    await checked('POST', `/users/${user.id}/password`, 200, {});
    await checked('POST', `/users/${user.id}/sessions/revoke`, 200);
    const key = await checked<Row>('POST', '/api-keys', 201, { name: 'OpenAPI key', role: 'VIEWER' });
    expect(key.key).toEqual(expect.any(String));
    await checked('GET', '/api-keys', 200);
    await checked('DELETE', `/api-keys/${key.id}`, 200);

    // Audit: every change above is in it.
    const audit = await checked<{ data: unknown[] }>('GET', '/audit?limit=200', 200);
    expect(audit.data.length).toBeGreaterThan(10);

    // Overview, for everything and for one destination.
    await checked('GET', '/overview', 200);
    await checked('GET', `/overview?range=1h&destinationId=${destination.id}`, 200);

    // Secrets of a source: reveal and revoke.
    const github = await checked<Row>('POST', '/sources', 201, { name: 'OpenAPI secrets', provider: 'github' });
    const rotated = await checked<Row>('POST', `/sources/${github.id}/secrets/rotate`, 201, {});
    await checked('POST', `/secrets/${rotated.id}/reveal`, 200);
    await checked('DELETE', `/secrets/${rotated.id}`, 200);

    // The check can fail: a field the schema does not know, a wrong type, a missing field.
    const one = await server.api<Row>('GET', `/api/v1/destinations/${destination.id}`);
    expect(conforms('GET', '/destinations/{id}', 200, { ...one.body, extra: 1 })).not.toEqual([]);
    expect(conforms('GET', '/destinations/{id}', 200, { ...one.body, createdAt: 'yesterday' })).not.toEqual([]);
    const { signingSecretHint: _hint, ...missing } = one.body;
    expect(conforms('GET', '/destinations/{id}', 200, missing)).not.toEqual([]);
  });
});
