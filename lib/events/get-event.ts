/**
 * One event as support staff need it: what arrived (headers, body, payload), whether and how it
 * was verified (which secret matched, by id, label and hint — never a value), and every delivery
 * with its attempts and replay links. Also one delivery on its own (GET /deliveries/{id}).
 */
import { isUuid } from '@/lib/db/ids';
import { db, type Prisma } from '@/lib/db/prisma';
import { circuitHold, derivedStatus } from '@/lib/deliveries/lifecycle/state-machine';
import type { Role } from '@/lib/db/generated/enums';
import { notFound } from '@/lib/http/errors';
import { sentRequestView } from './sent-request';

/** Response bodies in the event view: enough to see the error; the delivery view shows what is stored (64 KiB). */
export const EVENT_VIEW_RESPONSE_BODY_LIMIT = 4 * 1024;

export interface BodyView {
  /** `utf8` when the bytes are valid UTF-8 (shown as text), else `base64`. */
  encoding: 'utf8' | 'base64';
  data: string;
  /** Bytes stored. */
  size: number;
  truncated: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function bodyView(bytes: Uint8Array, limit = Number.POSITIVE_INFINITY): BodyView {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = Math.min(buffer.length, limit);
  let text: string | null = null;
  try {
    utf8.decode(buffer);
    // Cut on a character boundary: step back over continuation bytes (10xxxxxx).
    while (end < buffer.length && end > 0 && (buffer[end]! & 0xc0) === 0x80) end--;
    text = buffer.subarray(0, end).toString('utf8');
  } catch {
    text = null;
  }
  return text === null
    ? { encoding: 'base64', data: buffer.subarray(0, end).toString('base64'), size: buffer.length, truncated: end < buffer.length }
    : { encoding: 'utf8', data: text, size: buffer.length, truncated: end < buffer.length };
}

const ATTEMPT_SELECT = {
  id: true,
  attemptNumber: true,
  startedAt: true,
  durationMs: true,
  responseStatus: true,
  responseHeaders: true,
  responseBody: true,
  errorKind: true,
  errorMessage: true,
  workerId: true,
  request: true,
} as const;

const DELIVERY_INCLUDE = {
  destination: { select: { id: true, name: true, url: true, status: true, circuitState: true, circuitRetryAt: true } },
  // Attempt numbers restart when a failed delivery is retried by hand (docs/replay-and-retention.md),
  // so time is the order; the number breaks ties.
  attempts: { select: ATTEMPT_SELECT, orderBy: [{ startedAt: 'asc' }, { attemptNumber: 'asc' }] },
  replays: { select: { id: true, status: true, createdAt: true, replayedBy: true }, orderBy: { createdAt: 'asc' } },
} satisfies Prisma.DeliveryInclude;

type AttemptRow = {
  id: string;
  attemptNumber: number;
  startedAt: Date;
  durationMs: number;
  responseStatus: number | null;
  responseHeaders: unknown;
  responseBody: Uint8Array | null;
  errorKind: string | null;
  errorMessage: string | null;
  workerId: string | null;
  request: unknown;
};

function attemptView(attempt: AttemptRow, bodyLimit: number, role: Role) {
  const { responseBody, request, ...rest } = attempt;
  return { ...rest, responseBody: responseBody ? bodyView(responseBody, bodyLimit) : null, request: sentRequestView(request, role) };
}

type DeliveryRow = {
  id: string;
  eventId: string;
  sourceId: string;
  status: string;
  attemptCount: number;
  nextAttemptAt: Date;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  lastStatusCode: number | null;
  orderingKey: string | null;
  routeId: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  replayOfId: string | null;
  replayId: string | null;
  replayedBy: string | null;
  destination: { id: string; name: string; url: string; status: string; circuitState: string; circuitRetryAt: Date | null };
  attempts: AttemptRow[];
  replays: { id: string; status: string; createdAt: Date; replayedBy: string | null }[];
};

function deliveryView(row: DeliveryRow, bodyLimit: number, role: Role) {
  const status = derivedStatus(row.status, row.destination.status);
  const { circuitState: _circuitState, circuitRetryAt: _circuitRetryAt, ...destination } = row.destination;
  return {
    id: row.id,
    eventId: row.eventId,
    sourceId: row.sourceId,
    destination,
    /** Set while the destination's open circuit holds it (still `pending`): when the circuit probes next; a past time means due now. */
    heldByCircuit: circuitHold(row.status, row.destination),
    routeId: row.routeId,
    status,
    attemptCount: row.attemptCount,
    nextAttemptAt: status === 'pending' || status === 'paused' ? row.nextAttemptAt : null,
    leaseExpiresAt: row.status === 'in_flight' ? row.leaseExpiresAt : null,
    lastError: row.lastError,
    lastStatusCode: row.lastStatusCode,
    orderingKey: row.orderingKey,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    completedAt: row.completedAt,
    /** This delivery re-sends `replayOf` (a replay), as part of bulk replay `replayId` when set, asked for by `replayedBy`. */
    replayOf: row.replayOfId,
    replayId: row.replayId,
    replayedBy: row.replayedBy,
    /** Later deliveries that re-send this one. */
    replays: row.replays,
    attempts: row.attempts.map((attempt) => attemptView(attempt, bodyLimit, role)),
  };
}

export type DeliveryView = ReturnType<typeof deliveryView>;

/** `role` is the reader's: it decides which header values of the sent requests are masked (lib/events/sent-request.ts). */
export async function getEventOrThrow(id: string, role: Role) {
  if (!isUuid(id)) throw notFound('Event');
  const event = await db().event.findUnique({
    where: { id },
    include: {
      source: { select: { id: true, slug: true, name: true, provider: true } },
      deliveries: { include: DELIVERY_INCLUDE, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    },
  });
  if (!event) throw notFound('Event');
  const secret = event.matchedSecretId
    ? await db().secret.findUnique({ where: { id: event.matchedSecretId }, select: { id: true, label: true, hint: true } })
    : null;
  return {
    id: event.id,
    source: event.source,
    receivedAt: event.receivedAt,
    eventType: event.eventType,
    method: event.method,
    query: event.query,
    headers: event.headers,
    contentType: event.contentType,
    size: event.size,
    sourceIp: event.sourceIp,
    dedupKey: event.dedupKey,
    body: bodyView(event.body),
    payload: event.payload,
    verification: {
      status: event.verification,
      // The secret may have been deleted since; its id is still what matched.
      matchedSecret: event.matchedSecretId ? { id: event.matchedSecretId, label: secret?.label ?? null, hint: secret?.hint ?? null } : null,
    },
    deliveries: event.deliveries.map((delivery) => deliveryView(delivery, EVENT_VIEW_RESPONSE_BODY_LIMIT, role)),
  };
}

export type EventView = Awaited<ReturnType<typeof getEventOrThrow>>;

/** One delivery with all its attempts (response bodies as stored, up to 64 KiB) and its event's summary. */
export async function getDeliveryOrThrow(id: string, role: Role) {
  if (!isUuid(id)) throw notFound('Delivery');
  const delivery = await db().delivery.findUnique({
    where: { id },
    include: {
      ...DELIVERY_INCLUDE,
      event: { select: { id: true, eventType: true, receivedAt: true, size: true, source: { select: { id: true, slug: true, name: true } } } },
    },
  });
  if (!delivery) throw notFound('Delivery');
  return { ...deliveryView(delivery, Number.POSITIVE_INFINITY, role), event: delivery.event };
}
