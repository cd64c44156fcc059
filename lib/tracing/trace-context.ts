/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) for the webhook hop, derived so that
 * the ingest path stores nothing new:
 *  - the trace is the provider's when its request had a valid `traceparent` (the stored request
 *    headers keep it, and its `tracestate`); otherwise it is started at ingest, and its id is the
 *    event's id (a UUIDv7: 16 bytes, never all zeros), so every attempt of every delivery of one
 *    event, in any worker, joins the same trace without a lookup;
 *  - span ids are hashes of what names the span: the ingest span of event E is H("ingest", E), the
 *    attempt span of delivery D's attempt n is H("attempt", D, n). The worker can name the ingest
 *    span as its attempts' parent, and the forwarded `traceparent` names the attempt span, whether
 *    or not spans are exported (lib/tracing/spans.ts).
 * Pure functions: no I/O, no SDK.
 */
import { createHash } from 'node:crypto';

export interface TraceParent {
  traceId: string;
  /** The caller's span (16 hex). */
  parentId: string;
  /** trace-flags, 2 hex; bit 0 is "sampled". */
  flags: string;
}

const HEX = /^[0-9a-f]+$/;
const isZero = (hex: string) => /^0+$/.test(hex);
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/**
 * A `traceparent` header as the specification's parsing rules read it, or null: version 00 is
 * exactly `00-<32 hex>-<16 hex>-<2 hex>`; a later version may add fields after a dash; `ff`,
 * upper-case hex and all-zero ids are invalid.
 */
export function parseTraceparent(value: string | undefined | null): TraceParent | null {
  if (!value) return null;
  const header = value.trim();
  if (header.length < 55) return null;
  const version = header.slice(0, 2);
  if (!HEX.test(version) || version === 'ff') return null;
  if (version === '00' ? header.length !== 55 : header.length > 55 && header[55] !== '-') return null;
  if (header[2] !== '-' || header[35] !== '-' || header[52] !== '-') return null;
  const traceId = header.slice(3, 35);
  const parentId = header.slice(36, 52);
  const flags = header.slice(53, 55);
  if (!HEX.test(traceId) || !HEX.test(parentId) || !HEX.test(flags) || isZero(traceId) || isZero(parentId)) return null;
  return { traceId, parentId, flags };
}

export const TRACESTATE_MAX_LENGTH = 512;

/**
 * The provider's `tracestate`, passed on as it came (the specification asks every hop to keep
 * it), trimmed of empty members and, past 512 characters, of whole members from the end.
 */
export function keptTracestate(value: string | undefined | null): string | null {
  if (!value) return null;
  const members = value
    .split(',')
    .map((member) => member.trim())
    .filter(Boolean);
  const kept: string[] = [];
  let length = 0;
  for (const member of members) {
    const next = length + member.length + (kept.length > 0 ? 1 : 0);
    if (next > TRACESTATE_MAX_LENGTH) break;
    kept.push(member);
    length = next;
  }
  return kept.length > 0 ? kept.join(',') : null;
}

export const isSampled = (flags: string) => (parseInt(flags, 16) & 1) === 1;

/** The trace id of a trace started at ingest: the event id's 16 bytes (a hash of it, for an id that is not a UUID). */
export function traceIdOfEvent(eventId: string): string {
  const hex = eventId.replaceAll('-', '').toLowerCase();
  if (hex.length === 32 && HEX.test(hex) && !isZero(hex)) return hex;
  return createHash('sha256').update(`trace:${eventId}`).digest('hex').slice(0, 32);
}

function spanIdFor(...parts: (string | number)[]): string {
  const id = createHash('sha256').update(parts.join(':')).digest('hex').slice(0, 16);
  return isZero(id) ? '0000000000000001' : id;
}

export const ingestSpanId = (eventId: string) => spanIdFor('ingest', eventId);
export const attemptSpanId = (deliveryId: string, attempt: number) => spanIdFor('attempt', deliveryId, attempt);

/** Where an ingest request's span sits: in the provider's trace, or at the root of a new one. */
export interface IngestTrace {
  traceId: string;
  spanId: string;
  /** The provider's span, when its traceparent was valid. */
  parent: TraceParent | null;
  tracestate: string | null;
}

/** `eventId` is the id the request's event gets (or would have got: a rejected or duplicate request's fresh id). */
export function ingestTrace(eventId: string, headers: Record<string, string>): IngestTrace {
  const parent = parseTraceparent(headers.traceparent);
  return {
    traceId: parent?.traceId ?? traceIdOfEvent(eventId),
    spanId: ingestSpanId(eventId),
    parent,
    tracestate: parent ? keptTracestate(headers.tracestate) : null,
  };
}

/** Where a delivery attempt's span sits: below the ingest span of its event, in the event's trace. */
export interface AttemptTrace {
  traceId: string;
  spanId: string;
  /** The ingest span of the event. */
  parentSpanId: string;
  /** The flags the trace carries on: the provider's, else sampled. */
  flags: string;
  tracestate: string | null;
}

/** From the event's id and its stored request headers (which hold the provider's traceparent, if any). */
export function attemptTrace(delivery: { eventId: string; deliveryId: string; attempt: number; headers: Record<string, string> }): AttemptTrace {
  // A test send (lib/worker/send-test-delivery.ts) has no event: its own id stands for one.
  const event = isUuid(delivery.eventId) ? delivery.eventId : delivery.deliveryId;
  const ingest = ingestTrace(event, delivery.headers);
  return {
    traceId: ingest.traceId,
    spanId: attemptSpanId(delivery.deliveryId, delivery.attempt),
    parentSpanId: ingest.spanId,
    flags: ingest.parent?.flags ?? '01',
    tracestate: ingest.tracestate,
  };
}

/** The trace headers of the forwarded request: the attempt span as the destination's parent. */
export function forwardedTraceHeaders(trace: AttemptTrace): Record<string, string> {
  const headers: Record<string, string> = { traceparent: `00-${trace.traceId}-${trace.spanId}-${trace.flags}` };
  if (trace.tracestate) headers.tracestate = trace.tracestate;
  return headers;
}
