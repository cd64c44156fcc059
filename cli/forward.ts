/**
 * `hookyard listen`'s local call: an event as GET /api/v1/events/{id} shows it, sent again to a
 * local URL the way the provider sent it — its method, its headers less the hop-by-hop ones, its
 * body byte for byte (base64-decoded when the API had to encode it) and its query string. One
 * attempt only: a receiver that is down, too slow or answers 5xx is reported, not retried (the
 * dashboard's replay, or `hookyard replay`, is the way to send an event again).
 */

export interface StoredEvent {
  id: string;
  receivedAt: string;
  eventType: string | null;
  method: string;
  /** As received, without the leading "?". */
  query: string | null;
  headers: Record<string, string>;
  body: { encoding: 'utf8' | 'base64'; data: string; size: number; truncated: boolean };
}

export interface ForwardResult {
  /** The local answer's status, or why there was none (ECONNREFUSED, TIMEOUT, …). */
  status: number | string;
  latencyMs: number;
}

/** Per connection (RFC 9110 7.6.1), or set by fetch itself from what it sends (host, content-length). */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect']);
/** What Hookyard stores instead of a header that carries the source's secret (lib/events/stored-headers.ts; cli/ may not import it). */
const SECRET_PLACEHOLDER = '[redacted]';
export const FORWARD_TIMEOUT_MS = 30_000;

export function forwardHeaders(stored: Record<string, string>): Record<string, string> {
  const named = new Set((stored.connection ?? '').split(',').map((name) => name.trim().toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(stored)) {
    const lower = name.toLowerCase();
    if (NOT_FORWARDED.has(lower) || lower.startsWith('proxy-') || named.has(lower) || value === SECRET_PLACEHOLDER) continue;
    headers[lower] = value;
  }
  return headers;
}

/** `--forward`'s URL with `--path-prefix` before its path and the event's query string after any query it has. */
export function forwardUrl(forward: string, pathPrefix: string | undefined, query: string | null): URL {
  const url = new URL(forward);
  const prefix = (pathPrefix ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix) url.pathname = `/${prefix}${url.pathname === '/' ? '' : url.pathname}`;
  if (query) url.search = url.search.length > 1 ? `${url.search}&${query}` : `?${query}`;
  return url;
}

export function bodyBytes(event: StoredEvent): Buffer {
  return event.body.encoding === 'base64' ? Buffer.from(event.body.data, 'base64') : Buffer.from(event.body.data, 'utf8');
}

export async function forwardEvent(event: StoredEvent, url: URL, signal: AbortSignal): Promise<ForwardResult> {
  const started = performance.now();
  const method = event.method.toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(bodyBytes(event));
  const timeout = AbortSignal.timeout(FORWARD_TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      method,
      headers: forwardHeaders(event.headers),
      body,
      redirect: 'manual',
      signal: AbortSignal.any([signal, timeout]),
    });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const status = timeout.aborted ? 'TIMEOUT' : signal.aborted ? 'ABORTED' : (cause?.code ?? (error as Error).name ?? 'ERROR');
    return { status, latencyMs: Math.round(performance.now() - started) };
  }
}
