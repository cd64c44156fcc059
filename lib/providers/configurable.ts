/**
 * What the configurable schemes (`hmac`, `token`, `basic`, `none`) share: where the dedup key and
 * the event type of an arbitrary sender live. Admins set a header or a JSON path; without one,
 * common conventions are tried.
 */
import { z } from 'zod';
import { getHeader, stringAtPath } from './parse';
import type { IncomingWebhook, ParsedBody } from './types';

export const extractionSettingsShape = {
  /** Header holding the sender's idempotency key, e.g. "x-event-id". */
  dedupHeader: z.string().min(1).optional(),
  /** Dot path in the JSON body holding the idempotency key, e.g. "event.id". */
  dedupField: z.string().min(1).optional(),
  /** Header holding the event type, e.g. "x-event-type". */
  eventTypeHeader: z.string().min(1).optional(),
  /** Dot path in the JSON body holding the event type, e.g. "type". */
  eventTypeField: z.string().min(1).optional(),
};

export interface ExtractionSettings {
  dedupHeader?: string | undefined;
  dedupField?: string | undefined;
  eventTypeHeader?: string | undefined;
  eventTypeField?: string | undefined;
}

/**
 * The configured dedup key; without configuration, the standard `Idempotency-Key` or
 * `webhook-id` header. A body `id` is deliberately not guessed: it often names the object, not
 * the event, and treating two events as one would lose data.
 */
export function configuredDedupKey(request: IncomingWebhook, body: ParsedBody, settings: ExtractionSettings | undefined): string | null {
  if (settings?.dedupHeader || settings?.dedupField) {
    return (
      (settings.dedupHeader ? getHeader(request, settings.dedupHeader) : undefined) ??
      (settings.dedupField ? stringAtPath(body.json, settings.dedupField) : undefined) ??
      null
    );
  }
  return getHeader(request, 'idempotency-key') ?? getHeader(request, 'webhook-id') ?? null;
}

/** The configured event type; without configuration, the body's `type`, `event_type` or `event` string. */
export function configuredEventType(request: IncomingWebhook, body: ParsedBody, settings: ExtractionSettings | undefined): string | null {
  if (settings?.eventTypeHeader || settings?.eventTypeField) {
    return (
      (settings.eventTypeHeader ? getHeader(request, settings.eventTypeHeader) : undefined) ??
      (settings.eventTypeField ? stringAtPath(body.json, settings.eventTypeField) : undefined) ??
      null
    );
  }
  return stringAtPath(body.json, 'type') ?? stringAtPath(body.json, 'event_type') ?? stringAtPath(body.json, 'event') ?? null;
}
