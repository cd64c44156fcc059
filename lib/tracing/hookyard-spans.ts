/**
 * Hookyard's two spans: one per ingest request (SERVER) and one per delivery attempt (CLIENT),
 * with ids from trace-context.ts and attributes that say what happened to what: the source's
 * slug, the event id, the destination's name, the HTTP status, the error kind. Never a header
 * value, a body, a URL path or query (a destination URL can hold a token), nor a secret.
 */
import { type AttemptTrace, type IngestTrace, ingestTrace } from './trace-context';
import { recordSpan, type SpanAttributes, tracingEnabled } from './spans';

export { tracingEnabled };

/** What the ingest pipeline notes for its span while tracing is on (lib/ingest/handle-ingest.ts). */
export interface IngestNotes {
  source?: string;
  /** The id the event was written with. */
  eventId?: string;
  /** The stored event's id: for a duplicate, the first one's. */
  storedId?: string;
  duplicate?: boolean;
  /** Why the request was refused (a rejection reason: bad_signature, rate_limited, …). */
  reason?: string;
}

export function recordIngestSpan(
  request: { slug: string; method: string; headers: Record<string, string>; size?: number },
  response: { status: number },
  notes: IngestNotes,
  startTime: Date,
  endTime: Date,
  freshId: () => string,
): IngestTrace {
  const trace = ingestTrace(notes.eventId ?? freshId(), request.headers);
  const attributes: SpanAttributes = {
    'http.request.method': request.method,
    'http.route': '/api/ingest/{source}',
    'http.response.status_code': response.status,
    'hookyard.source': notes.source ?? request.slug,
  };
  if (notes.storedId) attributes['hookyard.event.id'] = notes.storedId;
  if (notes.duplicate !== undefined) attributes['hookyard.duplicate'] = notes.duplicate;
  if (notes.reason) attributes['error.type'] = notes.reason;
  else if (response.status >= 400) attributes['error.type'] = String(response.status);
  recordSpan({
    name: `${request.method} /api/ingest/{source}`,
    kind: 'server',
    traceId: trace.traceId,
    spanId: trace.spanId,
    parent: trace.parent ? { spanId: trace.parent.parentId, flags: trace.parent.flags, remote: true } : null,
    tracestate: trace.tracestate,
    startTime,
    endTime,
    attributes,
    error: response.status >= 500 ? `HTTP ${response.status}` : null,
  });
  return trace;
}

export function recordAttemptSpan(
  trace: AttemptTrace,
  attempt: { eventId: string; deliveryId: string; attempt: number; destination: string; host: string | null },
  outcome: { startedAt: Date; durationMs: number; status: number | null; errorKind: string | null },
): void {
  const attributes: SpanAttributes = {
    'http.request.method': 'POST',
    'hookyard.destination': attempt.destination,
    'hookyard.event.id': attempt.eventId,
    'hookyard.delivery.id': attempt.deliveryId,
    'hookyard.attempt': attempt.attempt,
  };
  if (attempt.host) attributes['server.address'] = attempt.host;
  if (outcome.status !== null) attributes['http.response.status_code'] = outcome.status;
  if (outcome.errorKind) attributes['error.type'] = outcome.errorKind;
  recordSpan({
    name: `POST ${attempt.destination}`,
    kind: 'client',
    traceId: trace.traceId,
    spanId: trace.spanId,
    parent: { spanId: trace.parentSpanId, flags: trace.flags, remote: true },
    tracestate: trace.tracestate,
    startTime: outcome.startedAt,
    endTime: new Date(outcome.startedAt.getTime() + outcome.durationMs),
    attributes,
    error: outcome.errorKind ? outcome.errorKind : null,
  });
}
