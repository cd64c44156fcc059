/**
 * What the configurable schemes (`hmac`, `token`, `basic`, `none`) share: where the dedup key and
 * the event type of an arbitrary sender live. Admins set a header or a JSON path; without one,
 * common conventions are tried.
 */
import { z } from 'zod';
import { CONVENTIONAL_DEDUP_PLACES, CONVENTIONAL_EVENT_TYPE_PLACES, type IdentityPlace, readFirstPlace } from './event-identity';
import type { IncomingWebhook, ParsedBody } from './types';

export const extractionSettingsShape = {
  /** Header holding the sender's idempotency key, e.g. "x-event-id". */
  dedupHeader: z.string().min(1).optional(),
  /** JSON path (lib/json-path) in the body holding the idempotency key, e.g. "event.id". */
  dedupField: z.string().min(1).optional(),
  /** Header holding the event type, e.g. "x-event-type". */
  eventTypeHeader: z.string().min(1).optional(),
  /** JSON path (lib/json-path) in the body holding the event type, e.g. "type". */
  eventTypeField: z.string().min(1).optional(),
};

export interface ExtractionSettings {
  dedupHeader?: string | undefined;
  dedupField?: string | undefined;
  eventTypeHeader?: string | undefined;
  eventTypeField?: string | undefined;
}

function configuredPlaces(header: string | undefined, field: string | undefined): IdentityPlace[] {
  const places: IdentityPlace[] = [];
  if (header) places.push({ header });
  if (field) places.push({ path: field });
  return places;
}

/** The configured dedup key (header, then field); without configuration, the conventional headers (event-identity.ts). */
export function configuredDedupKey(request: IncomingWebhook, body: ParsedBody, settings: ExtractionSettings | undefined): string | null {
  const places = configuredPlaces(settings?.dedupHeader, settings?.dedupField);
  return readFirstPlace(request, body.json, places.length > 0 ? places : CONVENTIONAL_DEDUP_PLACES);
}

/** The configured event type (header, then field); without configuration, the conventional fields (event-identity.ts). */
export function configuredEventType(request: IncomingWebhook, body: ParsedBody, settings: ExtractionSettings | undefined): string | null {
  const places = configuredPlaces(settings?.eventTypeHeader, settings?.eventTypeField);
  return readFirstPlace(request, body.json, places.length > 0 ? places : CONVENTIONAL_EVENT_TYPE_PLACES);
}
