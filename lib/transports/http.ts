/**
 * The HTTP transport. One attempt: the stored body byte for byte, the original headers minus hop-by-hop ones
 * and `host`, the destination's own headers, Standard Webhooks signature headers, and a W3C
 * `traceparent` naming this attempt in the event's trace (lib/tracing/trace-context.ts). Never
 * throws: every outcome, including network errors, becomes an AttemptOutcome with its kind.
 */
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { config } from '@/lib/config/env';
import { checkResolvedAddress, createGuardedLookup } from '@/lib/destinations/url-safety';
import { attemptTrace, forwardedTraceHeaders } from '@/lib/tracing/trace-context';
import { forwardableHeaders, signatureFields } from './message-metadata';
import { classifyError } from './network-errors';
import {
  type AttemptOutcome,
  type OutgoingDelivery,
  type SentRequest,
  safeMessage,
  startAttempt,
  type Transport,
  type TransportDestination,
} from './transport';

export const RESPONSE_BODY_LIMIT = 64 * 1024;

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

export function forwardedHeaders(
  delivery: OutgoingDelivery,
  destination: Pick<TransportDestination, 'headers' | 'signingSecrets'>,
  now: Date,
): Record<string, string> {
  const headers = forwardableHeaders(delivery);
  Object.assign(headers, destination.headers);
  headers['x-hookyard-event-id'] = delivery.eventId;
  headers['x-hookyard-delivery-id'] = delivery.deliveryId;
  headers['x-hookyard-attempt'] = String(delivery.attempt);
  Object.assign(headers, forwardedTraceHeaders(attemptTrace(delivery)));
  Object.assign(headers, signatureFields(delivery, destination, now));
  return headers;
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

async function send(delivery: OutgoingDelivery, destination: TransportDestination): Promise<AttemptOutcome> {
  const done = startAttempt();
  const startedAt = new Date();
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
    sent = { url: destination.displayUrl, headers, secretHeaders: Object.keys(destination.headers) };
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

export const httpTransport: Transport = {
  schemes: ['http', 'https'],
  send,
  close: closeDispatcher,
};
