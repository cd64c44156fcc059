/**
 * The CLI's only way to Hookyard: the public JSON API (/api/v1) with `Authorization: Bearer`,
 * never the database or lib/ (the dependency-cruiser rule `cli-only-public-api`), so what the CLI
 * does a script can do. Errors come back as ApiError with the API's code and message.
 */
import { ApiError, CliError } from './errors';
import type { Credentials } from './config';

export type Query = Record<string, string | number | boolean | undefined>;

export class ApiClient {
  constructor(readonly credentials: Credentials) {}

  get baseUrl(): string {
    return this.credentials.url;
  }

  async request<T>(method: string, path: string, options: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const url = new URL(`${this.credentials.url}/api/v1${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${this.credentials.key}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        redirect: 'error',
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`Cannot reach ${this.credentials.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    const text = await response.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new CliError(`${method} ${url.pathname} answered ${response.status} with something that is not JSON: is ${this.credentials.url} a Hookyard?`);
      }
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
      throw new ApiError(
        response.status,
        typeof error?.code === 'string' ? error.code : 'http_error',
        typeof error?.message === 'string' ? error.message : response.statusText || 'no message',
        error?.details,
      );
    }
    return body as T;
  }
}
