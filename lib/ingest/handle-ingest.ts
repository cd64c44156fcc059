/**
 * The ingest pipeline, shared by the Next.js route handler (app/api/ingest/[source]/route.ts) and
 * the lean node:http path in server.ts: look up the source, check the address, the size and the
 * rate, read the body (never past the limit), verify it, answer handshakes, then store the event
 * and its deliveries in one commit and answer 202 — or 200 for a duplicate, 503 when the
 * database cannot commit. The status codes are the ingest contract (docs/contract.md).
 */
import { newId } from '@/lib/db/ids';
import { storedHeaders } from '@/lib/events/stored-headers';
import { jsonPathString } from '@/lib/json-path/json-path';
import { logDatabaseFailure } from '@/lib/db/database-outage';
import { logger } from '@/lib/log/logger';
import { type IdentityPlace, readFirstPlace } from '@/lib/providers/event-identity';
import { getHeader, parseBody } from '@/lib/providers/parse';
import type { IncomingWebhook, ParsedBody, VerificationSecret } from '@/lib/providers/types';
import { countIngest } from './ingest-stats';
import { takeRateToken } from './rate-limit';
import { BodyTooLargeError } from './read-body';
import { recordRejection } from './record-rejection';
import { noteSecretMatched } from './secret-usage';
import { getSourceConfig, type SourceConfig } from './source-config';
import { DatabaseUnavailableError, type DeliveryRow, type EventWriter, type JsonText } from './event-writer';
import { ingestWriter } from './ingest-writer';
import { type IngestNotes, recordIngestSpan, tracingEnabled } from '@/lib/tracing/hookyard-spans';

export interface IngestRequest {
  slug: string;
  method: string;
  /** The URL as the provider called it (HOOKYARD_PUBLIC_URL applied), for URL-signing schemes. */
  url: string;
  /** Query string without "?", or null. */
  query: string | null;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  ip: string | null;
  /** Reads the body, throwing BodyTooLargeError at the first byte past `limit`. */
  readBody(limit: number): Promise<Buffer>;
}

export interface IngestResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };

function json(status: number, body: unknown, headers: Record<string, string> = {}): IngestResponse {
  return { status, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

function error(status: number, code: string, message: string, headers: Record<string, string> = {}): IngestResponse {
  return json(status, { error: { code, message } }, headers);
}

function verifyWithSecrets(source: SourceConfig, webhook: IncomingWebhook) {
  const now = webhook.receivedAt.getTime();
  // A cached config may hold a secret whose grace period ended since it was loaded.
  const active: VerificationSecret[] = [];
  const lapsed: VerificationSecret[] = [];
  for (const secret of source.activeSecrets) {
    const expiry = source.secretExpiries.get(secret.id);
    (expiry !== undefined && expiry <= now ? lapsed : active).push(secret);
  }
  const result = source.preset.verify(webhook, active, source.settings);
  if (result.ok || (result.reason !== 'bad_signature' && result.reason !== 'unknown_secret')) return result;
  const expired = [...lapsed, ...source.recentlyExpiredSecrets];
  if (expired.length > 0 && source.preset.verify(webhook, expired, source.settings).ok) {
    return { ok: false as const, reason: 'expired_secret', detail: 'signed with a secret that has expired or was revoked' };
  }
  return result;
}

/** JSON text for the payload column, or null when Postgres' jsonb would refuse it (\u0000, lone surrogates). */
function payloadText(body: Buffer, parsed: ParsedBody): JsonText | null {
  if (parsed.json === undefined) return null;
  const text = body.toString('utf8'); // the text parseBody gave JSON.parse
  return /\\u(0000|d[89a-f][0-9a-f]{2})/i.test(text) ? null : (text as JsonText);
}

/** A value read out of the payload, made storable as Postgres text (which holds no NUL nor lone surrogate). */
function storableText(value: string | null, maxLength: number): string | null {
  if (!value) return null;
  const text = value.slice(0, maxLength).toWellFormed().replaceAll('\u0000', '');
  return text || null;
}

/** The source's own fields first, else its preset (lib/providers/event-identity.ts). */
function dedupKeyOf(source: SourceConfig, webhook: IncomingWebhook, parsed: ParsedBody): string | null {
  if (!source.dedupEnabled) return null;
  const place: IdentityPlace | null = source.dedupHeader ? { header: source.dedupHeader } : source.dedupPath ? { path: source.dedupPath } : null;
  const key = place ? readFirstPlace(webhook, parsed.json, [place]) : source.preset.dedupKey(webhook, parsed, source.settings);
  return storableText(key, 500);
}

function eventTypeOf(source: SourceConfig, webhook: IncomingWebhook, parsed: ParsedBody): string | null {
  const type = source.eventTypePath
    ? readFirstPlace(webhook, parsed.json, [{ path: source.eventTypePath }])
    : source.preset.eventType(webhook, parsed, source.settings);
  return storableText(type, 200);
}

function deliveriesFor(source: SourceConfig, eventType: string | null, payload: unknown): DeliveryRow[] {
  const rows: DeliveryRow[] = [];
  for (const route of source.routes) {
    if (!route.matches(eventType, payload)) continue;
    rows.push({
      id: newId(),
      destinationId: route.destinationId,
      routeId: route.routeId,
      orderingKey: route.orderingPath ? storableText(jsonPathString(payload, route.orderingPath), 500) : null,
    });
  }
  return rows;
}

export async function handleIngest(request: IngestRequest, writer: EventWriter = ingestWriter()): Promise<IngestResponse> {
  // Tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT): one boolean, nothing else. The forwarded
  // traceparent needs nothing from here either: the worker derives it (lib/tracing/trace-context.ts).
  if (!tracingEnabled()) return receive(request, writer, null);
  const startTime = new Date();
  const notes: IngestNotes = {};
  const response = await receive(request, writer, notes);
  recordIngestSpan(request, response, notes, startTime, new Date(), newId);
  return response;
}

async function receive(request: IngestRequest, writer: EventWriter, notes: IngestNotes | null): Promise<IngestResponse> {
  const receivedAt = new Date();
  let source: SourceConfig | null;
  try {
    source = await getSourceConfig(request.slug, receivedAt);
  } catch (cause) {
    logDatabaseFailure(cause, 'cannot load source configuration', { source: request.slug });
    return error(503, 'unavailable', 'Hookyard cannot reach its database; retry later', { 'retry-after': '5' });
  }
  if (!source || !source.enabled) return error(404, 'not_found', 'No such source');
  if (notes) notes.source = source.slug;
  if (request.method !== 'POST') return error(405, 'method_not_allowed', 'Webhooks are accepted with POST', { allow: 'POST' });

  const reject = (status: number, reason: string, body: Buffer | null, size: number, detail?: string) => {
    logger.debug({ source: source.slug, status, reason, detail, ip: request.ip }, 'webhook rejected');
    if (notes) notes.reason = reason;
    recordRejection({
      sourceId: source.id,
      reason,
      detail,
      status,
      headers: storedHeaders(request.headers, source.secretBearingHeaders),
      body,
      size,
      ip: request.ip,
    });
  };

  if (source.allowIp && !source.allowIp(request.ip)) {
    reject(403, 'ip_not_allowed', null, 0, `address ${request.ip ?? 'unknown'} is not in the allowlist`);
    return error(403, 'forbidden', 'This address may not post to this source');
  }
  const declaredLength = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declaredLength) && declaredLength > source.sizeLimitBytes) {
    reject(413, 'too_large', null, declaredLength, `declared ${declaredLength} bytes; limit ${source.sizeLimitBytes}`);
    return error(413, 'payload_too_large', `The body is larger than this source's limit of ${source.sizeLimitBytes} bytes`);
  }
  if (source.rateLimitPerSecond !== null) {
    try {
      const decision = await takeRateToken(`source:${source.id}`, source.rateLimitPerSecond);
      if (!decision.allowed) {
        countIngest(source.id, 'rejected');
        if (notes) notes.reason = 'rate_limited';
        return error(429, 'rate_limited', 'This source is over its rate limit', { 'retry-after': String(decision.retryAfterSeconds) });
      }
    } catch (cause) {
      logDatabaseFailure(cause, 'rate limit check failed');
      return error(503, 'unavailable', 'Hookyard cannot reach its database; retry later', { 'retry-after': '5' });
    }
  }

  let body: Buffer;
  try {
    body = await request.readBody(source.sizeLimitBytes);
  } catch (cause) {
    if (cause instanceof BodyTooLargeError) {
      reject(413, 'too_large', null, source.sizeLimitBytes + 1, `over the limit of ${source.sizeLimitBytes} bytes`);
      return error(413, 'payload_too_large', cause.message);
    }
    return error(400, 'bad_request', 'The request body could not be read');
  }

  const webhook: IncomingWebhook = { method: request.method, url: request.url, headers: request.headers, rawBody: body, receivedAt };
  const verification = verifyWithSecrets(source, webhook);
  if (!verification.ok) {
    reject(401, verification.reason, body, body.length, verification.detail);
    return error(401, 'unauthorized', 'Webhook verification failed');
  }
  const matched = verification.secretId ? (source.activeSecrets.find((secret) => secret.id === verification.secretId) ?? null) : null;
  if (verification.secretId) noteSecretMatched(verification.secretId);

  const parsed = parseBody(body, getHeader(webhook, 'content-type'));
  const handshake = source.preset.handshake?.(webhook, parsed, matched);
  if (handshake) return handshake;

  const eventType = eventTypeOf(source, webhook, parsed);
  const payloadForRoutes = parsed.json ?? (parsed.form ? Object.fromEntries(parsed.form) : undefined);
  const eventId = newId();
  if (notes) notes.eventId = eventId;
  try {
    const result = await writer.write(
      {
        id: eventId,
        sourceId: source.id,
        receivedAt,
        method: request.method,
        query: request.query,
        headers: JSON.stringify(storedHeaders(request.headers, source.secretBearingHeaders)) as JsonText,
        body,
        payload: payloadText(body, parsed),
        contentType: request.headers['content-type'] ?? null,
        size: body.length,
        sourceIp: request.ip,
        verification: source.preset.needsSecret ? 'verified' : 'unverified',
        matchedSecretId: verification.secretId,
        dedupKey: dedupKeyOf(source, webhook, parsed),
        eventType,
      },
      deliveriesFor(source, eventType, payloadForRoutes),
    );
    countIngest(source.id, result.duplicate ? 'duplicate' : 'accepted', receivedAt.getTime());
    if (notes) {
      notes.storedId = result.id;
      notes.duplicate = result.duplicate;
    }
    logger.trace({ source: source.slug, event: result.id, duplicate: result.duplicate }, 'event stored');
    return result.duplicate ? json(200, { id: result.id, duplicate: true }) : json(202, { id: result.id });
  } catch (cause) {
    if (!(cause instanceof DatabaseUnavailableError)) logger.error({ err: cause, source: source.slug }, 'storing an event failed');
    return error(503, 'unavailable', 'The event was not stored; retry later', { 'retry-after': '5' });
  }
}
