/**
 * Answers of the event detail and the deliveries operations (lib/events/get-event.ts,
 * lib/deliveries/list-deliveries.ts, lib/replay/retry-delivery.ts, lib/replay/replay-event.ts).
 */
import { z } from 'zod';
import { DELIVERY_STATUSES } from '@/lib/list-filters/list-filter.schema';
import { timestamp } from '../responses.schema';

const deliveryStatus = z.enum(DELIVERY_STATUSES);

const bodySchema = z
  .object({
    encoding: z.enum(['utf8', 'base64']).meta({ description: '`utf8` when the bytes are valid UTF-8 (`data` is the text), else `base64`.' }),
    data: z.string(),
    size: z.number().int().meta({ description: 'Bytes stored.' }),
    truncated: z.boolean(),
  })
  .meta({ id: 'Body' });

const heldByCircuit = z
  .object({ nextProbeAt: timestamp })
  .nullable()
  .meta({ description: "Set while the destination's open circuit holds this pending delivery: when it probes next (a past time: due now)." });

const sentRequestSchema = z
  .object({
    url: z.string().meta({ description: 'A password in it is masked.' }),
    headers: z.record(z.string(), z.string()),
    maskedHeaders: z.array(z.string()).meta({ description: 'Names of the headers whose values are masked for this reader.' }),
    transformed: z.boolean().meta({ description: "Whether the route's transform shaped this request." }),
    body: z.string().nullable().meta({ description: "The body as sent when the transform changed it; null: the event's own body went out." }),
    bodyTruncated: z.boolean(),
  })
  .meta({ id: 'SentRequest' });

const attemptSchema = z
  .object({
    id: z.string(),
    attemptNumber: z.number().int(),
    startedAt: timestamp,
    durationMs: z.number(),
    responseStatus: z.number().int().nullable(),
    responseHeaders: z.unknown(),
    responseBody: bodySchema.nullable(),
    errorKind: z
      .string()
      .nullable()
      .meta({ description: 'http_status, timeout, dns, refused, tls, reset, blocked_url, auth, no_route, worker_lost or other.' }),
    errorMessage: z.string().nullable(),
    workerId: z.string().nullable(),
    request: sentRequestSchema.nullable().meta({ description: 'The request this attempt sent, as the reader may see it.' }),
  })
  .meta({ id: 'Attempt' });

export const deliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    sourceId: z.string(),
    destination: z.object({ id: z.string(), name: z.string(), url: z.string(), status: z.enum(['active', 'paused', 'disabled']) }),
    heldByCircuit,
    routeId: z.string().nullable().meta({ description: 'Null when the route was deleted since.' }),
    status: deliveryStatus,
    attemptCount: z.number().int(),
    nextAttemptAt: timestamp.nullable().meta({ description: 'While pending or paused: when the next attempt is due.' }),
    leaseExpiresAt: timestamp.nullable().meta({ description: "While in flight: when the worker's lease ends." }),
    lastError: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    orderingKey: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    completedAt: timestamp.nullable(),
    replayOf: z.string().nullable().meta({ description: 'The delivery this one re-sends, when it is a replay.' }),
    replayId: z.string().nullable().meta({ description: 'The bulk replay that created it.' }),
    replayedBy: z.string().nullable().meta({ description: 'Who asked for the replay.' }),
    replays: z
      .array(z.object({ id: z.string(), status: z.string(), createdAt: timestamp, replayedBy: z.string().nullable() }))
      .meta({ description: 'Later deliveries that re-send this one.' }),
    attempts: z.array(attemptSchema).meta({ description: 'Oldest first. In an event, response bodies are cut at 4 KiB.' }),
  })
  .meta({ id: 'Delivery' });

export const deliveryWithEventSchema = deliverySchema
  .extend({
    event: z.object({
      id: z.string(),
      eventType: z.string().nullable(),
      receivedAt: timestamp,
      size: z.number().int(),
      source: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    }),
  })
  .meta({ id: 'DeliveryWithEvent' });

export const deliveryListItemSchema = z
  .object({
    id: z.string(),
    status: deliveryStatus,
    attemptCount: z.number().int(),
    nextAttemptAt: timestamp,
    lastError: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    orderingKey: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    completedAt: timestamp.nullable(),
    replayOfId: z.string().nullable(),
    replayId: z.string().nullable(),
    replayedBy: z.string().nullable(),
    destination: z.object({ id: z.string(), name: z.string() }),
    heldByCircuit,
    source: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    event: z.object({ id: z.string(), eventType: z.string().nullable(), receivedAt: timestamp, size: z.number().int() }),
    blockedBy: z.string().nullable().meta({ description: 'For a waiting delivery with an ordering key: the delivery that must finish first.' }),
  })
  .meta({ id: 'DeliveryListItem' });

export const eventSchema = z
  .object({
    id: z.string(),
    source: z.object({ id: z.string(), slug: z.string(), name: z.string(), provider: z.string() }),
    receivedAt: timestamp,
    eventType: z.string().nullable(),
    method: z.string(),
    query: z.string().nullable().meta({ description: 'The query string the request came with.' }),
    headers: z.record(z.string(), z.unknown()),
    contentType: z.string().nullable(),
    size: z.number().int(),
    sourceIp: z.string().nullable(),
    dedupKey: z.string().nullable(),
    body: bodySchema,
    payload: z.unknown().meta({ description: 'The body as JSON when it parses, else null.' }),
    verification: z.object({
      status: z.enum(['verified', 'unverified']),
      matchedSecret: z
        .object({ id: z.string(), label: z.string().nullable(), hint: z.string().nullable() })
        .nullable()
        .meta({ description: 'Which secret verified it (never its value); label and hint are null when it was deleted since.' }),
    }),
    deliveries: z.array(deliverySchema),
  })
  .meta({ id: 'Event' });

export const retriedDeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    status: z.enum(['pending', 'paused']),
    attemptCount: z.number().int(),
    nextAttemptAt: timestamp,
    scheduleRestarted: z.boolean().meta({ description: 'True when the retry schedule starts over (the delivery had failed, or used its schedule up).' }),
  })
  .meta({ id: 'RetriedDelivery' });

export const replayedEventSchema = z
  .object({
    deliveries: z.array(z.string()).meta({ description: 'Ids of the new deliveries.' }),
    skipped: z.array(z.object({ destinationId: z.string(), reason: z.string() })).meta({ description: 'Destinations left out: disabled ones.' }),
  })
  .meta({ id: 'ReplayedEvent' });
