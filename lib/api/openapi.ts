/**
 * The OpenAPI 3.1 document of /api/v1, generated from lib/api/operations.ts: the same zod schemas
 * that apiRoute validates requests with become the parameters and bodies (zod 4's
 * z.toJSONSchema, JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Nothing here is written by
 * hand per operation, so a changed schema changes the document. Built once per process: the
 * operations are static.
 */
import { z } from 'zod';
import { ROLES } from '@/lib/auth/roles';
import type { ApiOperation } from './operation';
import { operations } from './operations';
import { errorResponseSchema } from './responses.schema';

type JsonObject = Record<string, unknown>;

export const OPENAPI_PATH = '/api/v1/openapi.json';

/** Operations outside apiRoute: the document itself, public so that tools can fetch it. */
const PUBLIC_OPERATIONS = [{ method: 'GET', path: '/openapi.json', operationId: 'getOpenApiDocument', tag: 'Meta', summary: 'This OpenAPI document' }] as const;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request (e.g. a body that is not JSON)',
  401: 'No valid session or API key',
  403: "The caller's role is too low, or a cookie-authenticated change came from another origin (`cross_origin`)",
  404: 'No such record',
  409: 'Conflicts with the current state',
  413: 'The body is over 1 MiB',
  422: 'Invalid input; `message` says which field',
  500: 'Unexpected; logged with a request id, reveals nothing',
};

const DESCRIPTION = `The JSON API of Hookyard, a self-hosted webhook gateway. Generated from the zod schemas that
validate each request, so it matches what the server checks.

**Authentication**: the dashboard's session cookie (\`next-auth.session-token\`; \`__Secure-next-auth.session-token\`
over https), or \`Authorization: Bearer <api key>\`. Admins create keys in the settings page or with
\`npm run apikey:create -- --role ROLE --name NAME\`. Keys carry a role, and the same role rules apply to
keys and to people: ${[...ROLES].reverse().join(' < ')}. Each operation names the lowest role it needs.

**CSRF**: a change (POST, PATCH, PUT, DELETE) authenticated by the session cookie must come from the
dashboard's own origin: its \`Origin\` header must be one of the dashboard's origins, or the browser must
send \`Sec-Fetch-Site: same-origin\`; otherwise it is refused with 403 \`cross_origin\` before anything
runs. Requests with a Bearer key are not affected (docs/security.md).

**Errors** are \`{"error": {"code", "message"}}\` with the status: 400 or 422 invalid input, 401, 403,
404, 409 conflict, 413 too large, 500.`;

/** `#/$defs/X` (zod's home for schemas with an id) → `#/components/schemas/X`, collecting the defs. */
function hoistDefs(schema: unknown, components: JsonObject): unknown {
  if (Array.isArray(schema)) return schema.map((item) => hoistDefs(item, components));
  if (!schema || typeof schema !== 'object') return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema') continue;
    if (key === '$defs') {
      for (const [id, def] of Object.entries(value as JsonObject)) components[id] = hoistDefs(def, components);
      continue;
    }
    out[key] = key === '$ref' && typeof value === 'string' ? value.replace('#/$defs/', '#/components/schemas/') : hoistDefs(value, components);
  }
  return out;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output', components: JsonObject): JsonObject {
  return hoistDefs(z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }), components) as JsonObject;
}

function queryParameters(schema: z.ZodType, components: JsonObject): JsonObject[] {
  const object = jsonSchema(schema, 'input', components);
  const properties = (object.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: 'query', required: required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

const pathParameters = (path: string): JsonObject[] =>
  [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } }));

const errorStatuses = (op: ApiOperation): number[] => {
  const statuses = new Set([401, 403, 500, ...(op.errors ?? [])]);
  if (op.body) [400, 413, 422].forEach((status) => statuses.add(status));
  if (op.query) statuses.add(422);
  if (op.path.includes('{')) statuses.add(404);
  return [...statuses].sort();
};

const errorResponse = (status: number) => ({ $ref: `#/components/responses/Error${status}` });

function describeOperation(name: string, op: ApiOperation, components: JsonObject): JsonObject {
  const success: JsonObject = { description: op.success.description };
  if (op.success.contentType === 'text/event-stream') success.content = { 'text/event-stream': { schema: { type: 'string' } } };
  else if (op.success.status !== 204)
    success.content = { 'application/json': { schema: jsonSchema(op.success.schema ?? z.looseObject({}), 'output', components) } };
  const responses: JsonObject = { [String(op.success.status)]: success };
  for (const other of op.otherSuccesses ?? []) {
    responses[String(other.status)] = {
      description: other.description,
      content: { 'application/json': { schema: jsonSchema(other.schema, 'output', components) } },
    };
  }
  for (const status of errorStatuses(op)) responses[String(status)] = errorResponse(status);
  return {
    operationId: name,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, `Requires the role ${op.role} or higher.`].filter(Boolean).join('\n\n'),
    'x-hookyard-role': op.role,
    parameters: [
      ...pathParameters(op.path),
      ...(op.query ? queryParameters(op.query, components) : []),
      ...(op.headers ?? []).map((header) => ({
        name: header.name,
        in: 'header',
        required: false,
        description: header.description,
        schema: { type: 'string' },
      })),
    ],
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input', components) } } } } : {}),
    responses,
  };
}

function buildDocument(): JsonObject {
  const schemas: JsonObject = {};
  const paths: Record<string, JsonObject> = {};
  const at = (path: string) => (paths[path] ??= {});
  for (const [name, op] of Object.entries(operations) as [string, ApiOperation][]) {
    at(op.path)[op.method.toLowerCase()] = describeOperation(name, op, schemas);
  }
  for (const op of PUBLIC_OPERATIONS) {
    at(op.path)[op.method.toLowerCase()] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      description: 'Public: no authentication. Cacheable.',
      security: [],
      responses: { '200': { description: 'An OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
    };
  }
  const errorSchema = jsonSchema(errorResponseSchema, 'output', schemas);
  const responses: JsonObject = {};
  for (const [status, description] of Object.entries(ERROR_DESCRIPTIONS)) {
    responses[`Error${status}`] = { description, content: { 'application/json': { schema: errorSchema } } };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { title: 'Hookyard API', version: '1', description: DESCRIPTION },
    servers: [{ url: '/api/v1' }],
    security: [{ sessionCookie: [] }, { apiKey: [] }],
    tags: [...new Set([...Object.values(operations).map((op) => op.tag), 'Meta'])].map((name) => ({ name })),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
      responses,
      securitySchemes: {
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'next-auth.session-token',
          description:
            'The dashboard session (a next-auth JWT). Over https the cookie is `__Secure-next-auth.session-token`. Changes need a same-origin `Origin` (see CSRF above).',
        },
        apiKey: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <api key>`; the key carries a role.' },
      },
    },
  };
}

let cached: JsonObject | undefined;

/** The document; the same object for the life of the process. */
export function openApiDocument(): JsonObject {
  return (cached ??= buildDocument());
}
