/**
 * Zoom: `x-zm-signature: v0=<hex>`, HMAC-SHA256 of `v0:${x-zm-request-timestamp}:${body}` keyed with
 * the app's webhook secret token. URL validation (`endpoint.url_validation`, also re-sent every 72
 * hours) is signed the same way and must be answered with
 * `{"plainToken", "encryptedToken": hex(HMAC-SHA256(secret, plainToken))}`.
 * Zoom documents no window for the timestamp; Hookyard rejects ones older than 5 minutes
 * (configurable). https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeSignature, hmac, isWithinWindow, parseUnixTimestamp, randomHex } from './crypto';
import { asObject, fail, findSecretBySignature, getHeader, noSecrets, ok, stringAtPath, stringField } from './parse';
import type { ProviderPreset } from './types';

export const zoomSettingsSchema = z.object({
  /** Maximum age of x-zm-request-timestamp; 0 disables the check. */
  toleranceSeconds: z.number().int().min(0).max(86_400).default(300),
});
export type ZoomSettings = z.output<typeof zoomSettingsSchema>;

/** Zoom sends Unix seconds; a 13-digit value is taken as milliseconds. */
function zoomTimestampMs(value: string): number | null {
  const ms = parseUnixTimestamp(value);
  if (ms === null) return null;
  return value.trim().length >= 13 ? ms / 1000 : ms;
}

export const zoom: ProviderPreset<ZoomSettings> = {
  id: 'zoom',
  label: 'Zoom',
  secretLabel: 'Secret token',
  needsSecret: true,
  settingsSchema: zoomSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, 'x-zm-signature');
    if (!header) return fail('missing_header', 'x-zm-signature');
    const timestamp = getHeader(request, 'x-zm-request-timestamp');
    if (!timestamp) return fail('missing_header', 'x-zm-request-timestamp');
    const timestampMs = zoomTimestampMs(timestamp);
    if (timestampMs === null) return fail('malformed_header', 'x-zm-request-timestamp is not a Unix time');
    if (!header.startsWith('v0=')) return fail('malformed_header', 'x-zm-signature does not start with v0=');
    const signature = decodeSignature(header.slice(3), 'hex');
    if (!signature) return fail('malformed_header', 'x-zm-signature is not hex');

    const matched = findSecretBySignature(secrets, [signature], (secret) => hmac('sha256', secret.value, [`v0:${timestamp}:`, request.rawBody]));
    if (!matched) return fail('bad_signature');
    if (!isWithinWindow(timestampMs, request.receivedAt, { maxAgeSeconds: settings.toleranceSeconds, maxFutureSeconds: null })) {
      return fail('stale_timestamp', `timestamp ${timestamp}`);
    }
    return ok(matched.id);
  },

  dedupKey(_request, body) {
    // Zoom has no delivery id. A retry repeats the event and its event_ts (ms); with the object's id
    // that names one occurrence of one event.
    const json = asObject(body.json);
    const event = stringField(json, 'event');
    const eventTs = stringField(json, 'event_ts');
    if (!event || !eventTs || event === 'endpoint.url_validation') return null;
    const objectId = stringAtPath(json, 'payload.object.uuid') ?? stringAtPath(json, 'payload.object.id') ?? stringAtPath(json, 'payload.account_id') ?? '';
    return `${event}:${eventTs}:${objectId}`;
  },

  eventType(_request, body) {
    return stringField(body.json, 'event') ?? null;
  },

  handshake(_request, body, matchedSecret) {
    const json = asObject(body.json);
    if (!json || json.event !== 'endpoint.url_validation' || !matchedSecret) return null;
    const plainToken = stringAtPath(json, 'payload.plainToken');
    if (plainToken === undefined) return null;
    const encryptedToken = hmac('sha256', matchedSecret.value, plainToken).toString('hex');
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ plainToken, encryptedToken }) };
  },

  sampleRequest(secret, _url, now) {
    const ts = Math.floor(now.getTime() / 1000);
    const body = JSON.stringify({
      event: 'meeting.started',
      event_ts: now.getTime(),
      payload: {
        account_id: 'AAAAAABBBB',
        object: {
          id: String(Number.parseInt(randomHex(4), 16)),
          uuid: `${randomHex(8)}==`,
          host_id: 'z8yAAAAA8bbbQ',
          topic: 'Hookyard weekly',
          type: 2,
          start_time: now.toISOString(),
          timezone: 'UTC',
          duration: 30,
        },
      },
    });
    return {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-zm-request-timestamp': String(ts),
        'x-zm-signature': `v0=${hmac('sha256', secret, `v0:${ts}:${body}`).toString('hex')}`,
        'x-zm-trackingid': randomUUID(),
      },
      body,
    };
  },
};
