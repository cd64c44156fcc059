/**
 * The one wrapper for every JSON API route handler: it resolves the caller (session or API key),
 * checks the role, parses and validates the body and query with zod, and maps every error to
 * the error shape of docs/contract.md. A handler is then a few lines of domain calls. A change
 * made with the session cookie must come from the dashboard's own origin (lib/http/same-origin.ts):
 * checked before anything else, so a forged request learns nothing and touches nothing.
 * Its options are the operation's declaration in lib/api/operations.ts, which the OpenAPI
 * document (lib/api/openapi.ts) is generated from: the role and schemas checked here are the
 * ones documented there.
 */
import { type Principal, requirePrincipal } from '@/lib/auth/principal';
import { browserSecuritySettings } from '@/lib/config/browser-security';
import { clientIp } from '@/lib/http/client-ip';
import { AppError, errorResponse } from '@/lib/http/errors';
import { assertSameOrigin } from '@/lib/http/same-origin';
import type { ApiOperation } from './operation';

const MAX_JSON_BODY_BYTES = 1024 * 1024;

export interface ApiContext<Body, Query, Params> {
  request: Request;
  principal: Principal;
  body: Body;
  query: Query;
  params: Params;
  ip: string | null;
}

/** A response with a status other than 200. */
export class ApiResult {
  constructor(
    readonly status: number,
    readonly data: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}
export const created = (data: unknown) => new ApiResult(201, data);
export const accepted = (data: unknown) => new ApiResult(202, data);
export const noContent = () => new ApiResult(204, null);

async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) throw new AppError('payload_too_large', 'The request body is over 1 MiB');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON');
  }
}

export function apiRoute<Body = undefined, Query = undefined, Params = Record<string, string>>(
  options: ApiOperation<Body, Query>,
  handler: (context: ApiContext<Body, Query, Params>) => Promise<unknown>,
) {
  return async (request: Request, segment?: { params: Promise<Params> }): Promise<Response> => {
    try {
      const scheme = new URL(request.url).protocol.replace(/:$/, '');
      assertSameOrigin(request.method, (name) => request.headers.get(name), browserSecuritySettings(), scheme);
      const principal = await requirePrincipal(options.role, request.headers);
      const body = (options.body ? options.body.parse(await readJsonBody(request)) : undefined) as Body;
      const query = (options.query ? options.query.parse(Object.fromEntries(new URL(request.url).searchParams)) : undefined) as Query;
      const params = (segment ? await segment.params : {}) as Params;
      const result = await handler({ request, principal, body, query, params, ip: clientIp(request.headers) });
      if (result instanceof Response) return result; // a stream (GET /events/stream), already shaped
      if (result instanceof ApiResult) {
        if (result.status === 204) return new Response(null, { status: 204, headers: result.headers });
        return Response.json(result.data, { status: result.status, headers: result.headers });
      }
      return Response.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
