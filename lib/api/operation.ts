/**
 * What one JSON API operation is: its method and path, who may call it, the zod schemas that
 * validate its body and query, and what it answers. One declaration per operation, in
 * lib/api/operations.ts, is read by both the route handler (apiRoute takes it as its options) and
 * the OpenAPI document (lib/api/openapi.ts), so the document cannot drift from what the server
 * checks. Pure data: no React, no Prisma.
 */
import type { z } from 'zod';
import type { Role } from '@/lib/db/generated/enums';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiOperation<Body = unknown, Query = unknown> {
  method: HttpMethod;
  /** Relative to /api/v1, OpenAPI style: `/sources/{id}`. */
  path: string;
  /** The lowest role allowed (lib/auth/roles.ts); the wrapper checks it. */
  role: Role;
  /** The OpenAPI tag: the resource. */
  tag: string;
  summary: string;
  description?: string;
  body?: z.ZodType<Body>;
  query?: z.ZodType<Query>;
  /** The success answer; `schema` absent means "an object", documented by the summary. A
   * `text/event-stream` answer is documented as a string (its messages in the description). */
  success: { status: 200 | 201 | 202 | 204; description: string; schema?: z.ZodType; contentType?: 'application/json' | 'text/event-stream' };
  /** Other success answers, for an operation whose answer depends on its input (a replay's dry run). */
  otherSuccesses?: readonly { status: 200 | 201 | 202; description: string; schema: z.ZodType }[];
  /** Request headers the operation reads, beyond authentication. */
  headers?: readonly { name: string; description: string }[];
  /** Statuses this operation answers beyond the ones every operation can (401, 403, 500) and the
   * ones implied by its shape (400/413/422 with a body or query, 404 with a path parameter). */
  errors?: readonly number[];
}

/** Keeps the literal type of one declaration, so apiRoute infers Body and Query from it. */
export const operation = <const T extends ApiOperation<unknown, unknown>>(declaration: T): T => declaration;
