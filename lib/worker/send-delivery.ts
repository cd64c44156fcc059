/**
 * One HTTP attempt: the stored body byte for byte, the original headers minus hop-by-hop ones
 * and `host`, the destination's own headers, Standard Webhooks signature headers, and a W3C
 * `traceparent` naming this attempt in the event's trace (lib/tracing/trace-context.ts). Never
 * throws: every outcome, including network errors, becomes an AttemptOutcome with its kind.
 */
import { HOP_BY_HOP_HEADERS } from '@/lib/http/hop-by-hop';
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { config } from '@/lib/config/env';
import { BLOCKED_ADDRESS_CODE, checkResolvedAddress, createGuardedLookup } from '@/lib/destinations/url-safety';
import type { DestinationConfig } from './destination-config';
import { isSecretPlaceholder } from '@/lib/events/stored-headers';
import { standardWebhooksHeaders } from '@/lib/providers/standard-webhooks-signature';
import { recordAttemptSpan, tracingEnabled } from '@/lib/tracing/hookyard-spans';
import { attemptTrace, forwardedTraceHeaders } from '@/lib/tracing/trace-context';

export const RESPONSE_BODY_LIMIT = 64 * 1024;

/**
 * Not forwarded: hop-by-hop headers (RFC 9110 §7.6.1), framing recomputed by the client, and
 * signatures we replace; nor headers that stood for the source's secret (lib/events/stored-headers.ts).
 */
const DROPPED_HEADERS = new Set([
  ...HOP_BY_HOP_HEADERS,
  'expect',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-hookyard-client-ip',
  // Replaced by the attempt's own (lib/tracing/trace-context.ts): same trace, the attempt as parent.
  'traceparent',
  'tracestate',
]);

/** How a send can fail. */
export type SendErrorKind = 'http_status' | 'timeout' | 'dns' | 'refused' | 'tls' | 'reset' | 'blocked_url' | 'other';
/**
 * An attempt's error kind (the AttemptErrorKind enum): a send's, or `worker_lost`, which lease
 * recovery records when the worker holding the lease died before it recorded an outcome, or
 * `transform_error`, when the route's transform failed before anything was sent (lib/transforms).
 */
export type ErrorKind = SendErrorKind | 'worker_lost' | 'transform_error';

export interface AttemptOutcome {
  startedAt: Date;
  durationMs: number;
  status: number | null;
  headers: Record<string, string> | null;
  body: Buffer | null;
  errorKind: ErrorKind | null;
  errorMessage: string | null;
  retryAfter: string | null;
  /** What Hookyard sent, for event detail; null when nothing was sent (a lost lease, a refused URL). */
  request: SentRequest | null;
}

/**
 * The request as it went out: the URL and every header Hookyard sent (the forwarded original
 * headers, the destination's own, the x-hookyard-* ones and the Standard Webhooks signature).
 * `secretHeaders` names the destination's own headers, whose values often carry tokens: event
 * detail masks them for non-admins as the destination page does (lib/events/sent-request.ts).
 */
export interface SentRequest {
  url: string;
  headers: Record<string, string>;
  secretHeaders: string[];
}

export interface OutgoingDelivery {
  deliveryId: string;
  eventId: string;
  attempt: number;
  headers: Record<string, string>;
  body: Buffer;
}

let agent: Agent | undefined;
function dispatcher(): Agent {
  agent ??= new Agent({
    keepAliveTimeout: 30_000,
    // No per-origin connection cap: a destination's max_concurrency already bounds what is in
    // flight, and a request queued here would spend its timeout waiting for a socket.
    connections: null,
    connect: { lookup: createGuardedLookup(config().blockPrivateDestinations) },
  });
  return agent;
}

export async function closeDispatcher(): Promise<void> {
  const current = agent;
  agent = undefined;
  await current?.close();
}

export function forwardedHeaders(delivery: OutgoingDelivery, destination: DestinationConfig, now: Date): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(delivery.headers)) {
    if (!DROPPED_HEADERS.has(name.toLowerCase()) && !isSecretPlaceholder(value)) headers[name.toLowerCase()] = value;
  }
  Object.assign(headers, destination.headers);
  headers['x-hookyard-event-id'] = delivery.eventId;
  headers['x-hookyard-delivery-id'] = delivery.deliveryId;
  headers['x-hookyard-attempt'] = String(delivery.attempt);
  Object.assign(headers, forwardedTraceHeaders(attemptTrace(delivery)));
  if (destination.signingSecrets.length > 0) {
    Object.assign(
      headers,
      standardWebhooksHeaders({
        id: delivery.deliveryId,
        timestamp: Math.floor(now.getTime() / 1000),
        body: delivery.body,
        secrets: destination.signingSecrets,
      }),
    );
  }
  return headers;
}

function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_CONNECT') return code;
    const name = (current as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return 'TIMEOUT';
    current = (current as { cause?: unknown }).cause;
  }
  return 'UNKNOWN';
}

export function classifyError(error: unknown): SendErrorKind {
  const code = errorCode(error);
  if (code === BLOCKED_ADDRESS_CODE) return 'blocked_url';
  if (code === 'TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT')
    return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'reset';
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/.test(code)) return 'tls';
  return 'other';
}

function safeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 500);
}

async function readLimitedBody(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = RESPONSE_BODY_LIMIT - size;
    if (chunk.length >= room) {
      chunks.push(chunk.subarray(0, room));
      body.destroy();
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks);
}

/** One attempt, and its span when tracing is on (lib/tracing). */
export async function sendDelivery(delivery: OutgoingDelivery, destination: DestinationConfig): Promise<AttemptOutcome> {
  const outcome = await send(delivery, destination);
  if (tracingEnabled()) {
    let host: string | null = null;
    try {
      host = new URL(destination.url).hostname;
    } catch {
      // An unparsable URL has no host to name.
    }
    recordAttemptSpan(attemptTrace(delivery), { ...delivery, destination: destination.name, host }, outcome);
  }
  return outcome;
}

async function send(delivery: OutgoingDelivery, destination: DestinationConfig): Promise<AttemptOutcome> {
  const startedAt = new Date();
  const started = performance.now();
  const done = (partial: Partial<AttemptOutcome>): AttemptOutcome => ({
    startedAt,
    durationMs: Math.round(performance.now() - started),
    status: null,
    headers: null,
    body: null,
    errorKind: null,
    errorMessage: null,
    retryAfter: null,
    request: null,
    ...partial,
  });
  let sent: SentRequest | null = null;
  try {
    const url = new URL(destination.url);
    // An IP literal skips DNS, so the guarded lookup never sees it: check it here.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host)) {
      const verdict = checkResolvedAddress(host, config().blockPrivateDestinations);
      if (!verdict.allowed) return done({ errorKind: 'blocked_url', errorMessage: `refused: ${verdict.reason}` });
    }
    const headers = forwardedHeaders(delivery, destination, startedAt);
    sent = { url: destination.url, headers, secretHeaders: Object.keys(destination.headers) };
    const response = await request(url, {
      method: 'POST',
      headers,
      body: delivery.body,
      dispatcher: dispatcher(),
      headersTimeout: destination.timeoutMs,
      bodyTimeout: destination.timeoutMs,
      signal: AbortSignal.timeout(destination.timeoutMs),
    });
    const body = await readLimitedBody(response.body as unknown as AsyncIterable<Buffer> & { destroy(): void });
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return done({
      status: response.statusCode,
      headers: responseHeaders,
      body,
      errorKind: ok ? null : 'http_status',
      errorMessage: ok ? null : `HTTP ${response.statusCode}`,
      retryAfter: responseHeaders['retry-after'] ?? null,
      request: sent,
    });
  } catch (error) {
    return done({ errorKind: classifyError(error), errorMessage: safeMessage(error), request: sent });
  }
}
