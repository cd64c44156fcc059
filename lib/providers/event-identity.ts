/**
 * The one model of how an event's dedup key and event type are found, for every source:
 *  1. the source's own fields, when set (`dedupHeader` or `dedupJsonPath`; `eventTypeJsonPath`);
 *  2. else the provider preset's `dedupKey` / `eventType`: a provider reads its documented
 *     header or field; the configurable schemes (`hmac`, `token`, `basic`, `none`) read the places
 *     their settings name (configurable.ts), else the conventions below.
 * A place is a header or a JSON path (lib/json-path); the first that holds a non-empty value wins.
 */
import { type JsonPath, jsonPathString, readJsonPathString } from '@/lib/json-path/json-path';
import { getHeader } from './parse';
import type { IncomingWebhook } from './types';

export type IdentityPlace = { header: string } | { path: string | JsonPath };

/** The first non-empty value among `places` (headers trimmed; numbers and booleans stringified), or null. */
export function readFirstPlace(request: Pick<IncomingWebhook, 'headers'>, json: unknown, places: readonly IdentityPlace[]): string | null {
  for (const place of places) {
    const value =
      'header' in place
        ? (getHeader(request, place.header) ?? null)
        : typeof place.path === 'string'
          ? readJsonPathString(json, place.path)
          : jsonPathString(json, place.path);
    if (value) return value;
  }
  return null;
}

/**
 * Without configuration, the standard `Idempotency-Key` or `webhook-id` header. A body `id` is
 * deliberately not guessed: it often names the object, not the event, and treating two events
 * as one would lose data.
 */
export const CONVENTIONAL_DEDUP_PLACES: readonly IdentityPlace[] = [{ header: 'idempotency-key' }, { header: 'webhook-id' }];

/** Without configuration, the body's `type`, `event_type` or `event`. */
export const CONVENTIONAL_EVENT_TYPE_PLACES: readonly IdentityPlace[] = [{ path: 'type' }, { path: 'event_type' }, { path: 'event' }];

/** The event type a body declares by convention (what a source without configuration records). */
export function conventionalEventType(json: unknown): string | null {
  return readFirstPlace({ headers: {} }, json, CONVENTIONAL_EVENT_TYPE_PLACES);
}
