/**
 * The one contract every destination type implements (docs/destination-types.md): take one
 * delivery and one destination, make one attempt, and answer with its outcome. A transport never
 * throws and never decides about retries, circuits or limits: the worker does that the same way
 * for every type (lib/worker), so adding a transport touches none of it. `close()` ends whatever
 * connections the transport keeps, on worker shutdown.
 */

/** How an attempt can fail: HTTP's kinds, and the brokers' `auth` and `no_route`. */
export type SendErrorKind = 'http_status' | 'timeout' | 'dns' | 'refused' | 'tls' | 'reset' | 'blocked_url' | 'auth' | 'no_route' | 'other';
/**
 * An attempt's error kind (the AttemptErrorKind enum): a send's, or `worker_lost`, which lease
 * recovery records when the worker holding the lease died before it recorded an outcome, or
 * `transform_error`, when the route's transform failed before anything was sent (lib/transforms).
 */
export type ErrorKind = SendErrorKind | 'worker_lost' | 'transform_error';

export interface AttemptOutcome {
  startedAt: Date;
  durationMs: number;
  /** The HTTP status; null for brokers, which answer with a confirmation instead. */
  status: number | null;
  headers: Record<string, string> | null;
  /** The response body, or for a broker a short summary of its answer ("confirmed by RabbitMQ", the entry id, the stream seq). */
  body: Buffer | null;
  errorKind: ErrorKind | null;
  errorMessage: string | null;
  retryAfter: string | null;
  /** What Hookyard sent, for event detail; null when nothing was sent (a lost lease, a refused URL). */
  request: SentRequest | null;
}

/**
 * The request as it went out: the URL (a broker's with its password masked) and every header
 * or metadata field Hookyard sent (the forwarded original headers, the destination's own, the
 * x-hookyard-* ones and the Standard Webhooks signature). `secretHeaders` names the destination's
 * own headers, whose values often carry tokens: event detail masks them for non-admins as the
 * destination page does (lib/events/sent-request.ts).
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
  /**
   * The event's type and its source's slug, for broker metadata and `{eventType}`/`{source}` in
   * routing keys and subjects. When the caller does not know them, a broker transport looks them
   * up (event-context.ts); HTTP does not need them.
   */
  eventType?: string | null;
  source?: string;
}

/** What a transport needs of a destination (lib/worker/destination-config.ts provides it). */
export interface TransportDestination {
  id: string;
  name: string;
  /** The URL to connect to, with a broker's password restored (never shown or logged). */
  url: string;
  /** The URL as people may see it: a broker password replaced by `***`. */
  displayUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
  signingSecrets: string[];
  /** Per-scheme options (destination-options.ts), already validated when saved. */
  options: Record<string, unknown>;
}

export interface Transport {
  /** URL schemes this transport delivers, without the colon (`amqp`, `amqps`). */
  readonly schemes: readonly string[];
  send(delivery: OutgoingDelivery, destination: TransportDestination): Promise<AttemptOutcome>;
  close(): Promise<void>;
}

/** Starts an outcome's clock: `done` fills the defaults and the duration. */
export function startAttempt(): (partial: Partial<AttemptOutcome>) => AttemptOutcome {
  const startedAt = new Date();
  const started = performance.now();
  return (partial) => ({
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
}

export function safeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 500);
}
