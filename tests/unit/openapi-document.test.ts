/**
 * The OpenAPI document (lib/api/openapi.ts) is valid OpenAPI 3.1 by a real validator, and it
 * matches the routes on disk: every exported handler under app/api/v1 is a documented operation,
 * every documented operation has a handler, and each handler is built from the registry entry of
 * its own method and path (so the role and schemas it checks are the documented ones).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApiDocument } from '@/lib/api/openapi';
import { operations } from '@/lib/api/operations';
import type { ApiOperation } from '@/lib/api/operation';
import { createSourceSchema } from '@/lib/sources/sources.schema';

const API_DIR = path.join(process.cwd(), 'app/api/v1');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function routeFiles(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) routeFiles(full, found);
    else if (entry === 'route.ts') found.push(full);
  }
  return found;
}

/** `app/api/v1/sources/[id]/route.ts` → `/sources/{id}`. */
const openApiPath = (file: string) =>
  '/' +
  path
    .relative(API_DIR, path.dirname(file))
    .split(path.sep)
    .join('/')
    .replace(/\[(\w+)\]/g, '{$1}');

/** The methods a route file exports, read from its source: `export const GET =` or `export (async) function GET(`. */
function exportedMethods(source: string): string[] {
  return METHODS.filter((method) => new RegExp(`export\\s+(const\\s+${method}\\s*=|(async\\s+)?function\\s+${method}\\s*\\()`).test(source));
}

type Doc = {
  paths: Record<
    string,
    Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown; responses: Record<string, unknown>; security?: unknown[] }>
  >;
  components: Record<string, Record<string, unknown>>;
};
const doc = openApiDocument() as unknown as Doc;
type Spec = Parameters<Validator['validate']>[0];

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Spec);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');

    // The validator does refuse a broken document: a parameter in a place OpenAPI 3.1 has not.
    const broken = structuredClone(doc) as Doc;
    broken.paths['/sources/{id}']!.get!.parameters![0]!.in = 'body';
    expect((await new Validator().validate(broken as unknown as Spec)).valid).toBe(false);
  });

  it('documents exactly the (path, method) pairs that route files on disk export', () => {
    const onDisk = routeFiles(API_DIR)
      .flatMap((file) => exportedMethods(readFileSync(file, 'utf8')).map((method) => `${method} ${openApiPath(file)}`))
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([route, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${route}`))
      .sort();
    expect(onDisk.length).toBeGreaterThan(50);
    expect(
      onDisk.filter((op) => !documented.includes(op)),
      'routes on disk with no documented operation',
    ).toEqual([]);
    expect(
      documented.filter((op) => !onDisk.includes(op)),
      'documented operations with no route',
    ).toEqual([]);
  });

  it("builds each handler from its own method and path's registry entry", () => {
    const byName = operations as Record<string, { method: string; path: string }>;
    for (const file of routeFiles(API_DIR)) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = apiRoute(?:<[^(]*?>)?\(\s*operations\.(\w+)/g)) {
        const entry = byName[match[2]!];
        expect(entry, `${file}: operations.${match[2]}`).toBeDefined();
        expect(`${entry!.method} ${entry!.path}`, file).toBe(`${match[1]} ${openApiPath(file)}`);
      }
      const viaApiRoute = source.match(/= apiRoute\b/g)?.length ?? 0;
      const viaRegistry = source.match(/= apiRoute(?:<[^(]*?>)?\(\s*operations\.\w+/g)?.length ?? 0;
      expect(viaRegistry, `${file}: every apiRoute handler names its operation`).toBe(viaApiRoute);
    }
  });

  it('takes bodies and query parameters from the zod schemas the routes validate with', () => {
    const create = doc.paths['/sources']!.post!;
    const body = (create.requestBody as { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }> }).content[
      'application/json'
    ]!.schema;
    expect(Object.keys(body.properties).sort()).toEqual(Object.keys(createSourceSchema.shape).sort());
    expect(body.required).toContain('name');
    expect(body.required).toContain('provider');
    const providers = (body.properties.provider as { enum: string[] }).enum;
    expect(providers).toContain('stripe');
    expect(providers).toContain('standard-webhooks');

    const list = doc.paths['/events']!.get!;
    expect(list.parameters!.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['sourceId', 'destinationId', 'status', 'eventType', 'from', 'to', 'q', 'cursor', 'limit']),
    );
    expect(doc.paths['/sources/{id}']!.get!.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })]);
  });

  it('documents the error shape and both security schemes, and the document itself is public', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token' },
      apiKey: { type: 'http', scheme: 'bearer' },
    });
    const error = doc.paths['/sources']!.post!.responses;
    for (const status of ['401', '403', '422']) expect(error[status]).toEqual({ $ref: `#/components/responses/Error${status}` });
    expect(doc.paths['/sources']!.post!.responses['409']).toBeDefined();
    expect(doc.components.responses!.Error422).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    expect(doc.components.schemas!.Error).toMatchObject({
      properties: { error: { properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
      required: ['error'],
    });
    expect(doc.paths['/openapi.json']!.get!.security).toEqual([]);
  });
  it('documents every JSON success answer with its own schema, never the bare object', () => {
    /** What z.toJSONSchema makes of z.looseObject({}): an object that says nothing. */
    const isBareObject = (schema: Record<string, unknown>) =>
      schema.type === 'object' &&
      Object.keys((schema.properties as object | undefined) ?? {}).length === 0 &&
      !schema.$ref &&
      !schema.anyOf &&
      !schema.oneOf &&
      !schema.allOf;
    type Responses = Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
    const bareAnswers = (document: Doc) =>
      Object.entries(document.paths)
        .filter(([route]) => route !== '/openapi.json') // the document itself: any OpenAPI document
        .flatMap(([route, item]) =>
          Object.entries(item).flatMap(([method, op]) =>
            Object.entries(op.responses as Responses)
              .filter(
                ([status, response]) =>
                  /^2/.test(status) && response.content?.['application/json'] && isBareObject(response.content['application/json'].schema),
              )
              .map(([status]) => `${method.toUpperCase()} ${route} ${status}`),
          ),
        );
    expect(bareAnswers(doc), 'operations whose success answer is documented as a bare object').toEqual([]);

    // Only 204s and event streams have no JSON answer.
    for (const [name, op] of Object.entries(operations) as [string, ApiOperation][]) {
      if (op.success.status === 204 || op.success.contentType === 'text/event-stream') continue;
      expect(op.success.schema, `${name} names its answer schema`).toBeDefined();
    }
    expect(doc.paths['/routes/{id}']!.delete!.responses['204']).toEqual({ description: 'Deleted' });

    // And the check can fail: an answer documented as z.looseObject({}) is found.
    const withBare = structuredClone(doc);
    (withBare.paths['/routes/{id}']!.get!.responses as Responses)['200']!.content!['application/json']!.schema = z.toJSONSchema(z.looseObject({})) as Record<
      string,
      unknown
    >;
    expect(bareAnswers(withBare)).toEqual(['GET /routes/{id} 200']);
  });

  it('documents the dry run of a bulk replay (200) beside its start (202)', () => {
    const responses = doc.paths['/replays']!.post!.responses as Record<string, { content: Record<string, { schema: unknown }> }>;
    expect(responses['202']!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/StartedReplay' });
    expect(responses['200']!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/ReplayDryRun' });
  });
});
