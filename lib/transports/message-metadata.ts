/**
 * What every delivery carries besides its body, whatever the transport: the original request
 * headers Hookyard forwards (minus hop-by-hop ones, signatures it replaces, and placeholders of
 * the source's secrets), and the Standard Webhooks `webhook-id` (the delivery id, the same on every
 * attempt), `webhook-timestamp` (the attempt's time) and `webhook-signature` over the raw body.
 * HTTP sends these as headers; brokers as their own metadata (docs/destination-types.md).
 */
import { HOP_BY_HOP_HEADERS } from '@/lib/http/hop-by-hop';
import { isSecretPlaceholder } from '@/lib/events/stored-headers';
import { standardWebhooksHeaders } from '@/lib/providers/standard-webhooks-signature';
import type { OutgoingDelivery, TransportDestination } from './transport';

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

/** The original request headers as forwarded, names lower-cased. */
export function forwardableHeaders(delivery: Pick<OutgoingDelivery, 'headers'>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(delivery.headers)) {
    if (!DROPPED_HEADERS.has(name.toLowerCase()) && !isSecretPlaceholder(value)) headers[name.toLowerCase()] = value;
  }
  return headers;
}

export interface SignatureFields {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The Standard Webhooks fields for this attempt, or null when the destination has no signing secret. */
export function signatureFields(delivery: OutgoingDelivery, destination: Pick<TransportDestination, 'signingSecrets'>, now: Date): SignatureFields | null {
  if (destination.signingSecrets.length === 0) return null;
  return standardWebhooksHeaders({
    id: delivery.deliveryId,
    timestamp: Math.floor(now.getTime() / 1000),
    body: delivery.body,
    secrets: destination.signingSecrets,
  }) as unknown as SignatureFields;
}

/** The body's content type as the provider sent it. */
export function contentTypeOf(delivery: Pick<OutgoingDelivery, 'headers'>): string {
  for (const [name, value] of Object.entries(delivery.headers)) if (name.toLowerCase() === 'content-type') return value;
  return 'application/octet-stream';
}
