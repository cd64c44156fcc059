/**
 * One typed error for the whole app, and one mapper to the error shape of docs/contract.md:
 * `{"error": {"code": "...", "message": "..."}}`. Unknown errors become a generic 500 that
 * reveals nothing, logged with a request id.
 */
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { logger } from '@/lib/log/logger';

export type ErrorCode =
  | 'bad_request'
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'cross_origin'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_input: 422,
  unauthorized: 401,
  forbidden: 403,
  // A signed-in change sent from another origin (lib/http/same-origin.ts).
  cross_origin: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'Your role does not allow this') => new AppError('forbidden', message);
export const unauthorized = (message = 'Sign in, or send Authorization: Bearer <api key>') => new AppError('unauthorized', message);
export const conflict = (message: string) => new AppError('conflict', message);

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

function formatZodError(error: ZodError): { message: string; details: unknown } {
  const issues = error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const message = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'Invalid input';
  return { message, details: issues };
}

/** Map any thrown value to a status, a body and headers. Never exposes internals. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      headers: error.headers ?? {},
    };
  }
  if (error instanceof ZodError) {
    const { message, details } = formatZodError(error);
    return { status: 422, body: { error: { code: 'invalid_input', message, details } }, headers: {} };
  }
  const requestId = randomUUID();
  logger.error({ err: error, requestId }, 'unhandled error');
  return {
    status: 500,
    body: { error: { code: 'internal', message: 'Something went wrong on our side', requestId } },
    headers: {},
  };
}

export function errorResponse(error: unknown): Response {
  const { status, body, headers } = toErrorResponse(error);
  return Response.json(body, { status, headers });
}
