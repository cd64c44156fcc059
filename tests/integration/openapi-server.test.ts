/**
 * The OpenAPI document on a real server (the real launcher, scripts/start.ts, on this file's
 * database): GET /api/v1/openapi.json answers 200 signed out, and real answers of the API
 * validate against the schemas the document gives them (JSON Schema 2020-12 by Ajv), errors
 * included. This keeps the answer schemas of lib/api/responses.schema.ts honest: a field added to
 * a source or an event list item without its schema fails here.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '@/lib/api/openapi';
import { db } from '@/lib/db/prisma';
import { type Launcher, startLauncher, until } from '../faults/support/launcher';

let server: Launcher;
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
});
