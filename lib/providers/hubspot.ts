/**
 * HubSpot (signature v3): `X-HubSpot-Signature-v3: <base64>`, HMAC-SHA256 keyed with the app's
 * client secret over method + URI + body + `X-HubSpot-Request-Timestamp` (Unix **ms**). Requests
 * older than 5 minutes are rejected (one-sided, as HubSpot's docs and client library do). In the
 * URI, the percent-encodings HubSpot lists (%3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B) are
 * decoded first. The legacy v1/v2 signatures (`X-HubSpot-Signature`, SHA-256 of secret + …, no
 * timestamp, so replayable) are accepted only when enabled in settings.
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
import { z } from 'zod';
import { decodeSignature, hmac, isWithinWindow, parseUnixTimestamp, sha256 } from './crypto';
import { asObject, compositeKey, distinctJoined, fail, findSecretBySignature, getHeader, noSecrets, ok, stringField } from './parse';
import type { IncomingWebhook, ProviderPreset, VerificationSecret, VerifyResult } from './types';

export const hubspotSettingsSchema = z.object({
  /** Maximum age of X-HubSpot-Request-Timestamp (HubSpot: 5 minutes); 0 disables the check. */
  toleranceSeconds: z.number().int().min(0).max(86_400).default(300),
  /** The URL exactly as registered with HubSpot, when it differs from the one Hookyard derives. */
  signedUrl: z.url().optional(),
  /** Also accept v1/v2 `X-HubSpot-Signature` when no v3 header is present (no replay protection). */
  allowLegacySignatures: z.boolean().default(false),
});
export type HubspotSettings = z.output<typeof hubspotSettingsSchema>;

const DECODED: Record<string, string> = {
  '3A': ':',
  '2F': '/',
  '3F': '?',
  '40': '@',
  '21': '!',
  '24': '$',
  '27': "'",
  '28': '(',
  '29': ')',
  '2A': '*',
  '2C': ',',
  '3B': ';',
};

/** The URI as HubSpot signs it: the listed percent-encodings decoded, everything else untouched. */
export function hubspotSignedUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (_, hex: string) => DECODED[hex.toUpperCase()] ?? `%${hex}`);
}

function verifyLegacy(request: IncomingWebhook, secrets: readonly VerificationSecret[], url: string): VerifyResult {
  const header = getHeader(request, 'x-hubspot-signature');
  if (!header) return fail('missing_header', 'X-HubSpot-Signature-v3');
  const version = getHeader(request, 'x-hubspot-signature-version') ?? 'v1';
  if (version !== 'v1' && version !== 'v2') return fail('malformed_header', `unknown X-HubSpot-Signature-Version ${version.slice(0, 8)}`);
  const signature = decodeSignature(header, 'hex');
  if (!signature) return fail('malformed_header', 'X-HubSpot-Signature is not hex');
  const matched = findSecretBySignature(secrets, [signature], (secret) =>
    version === 'v1' ? sha256([secret.value, request.rawBody]) : sha256([secret.value, request.method.toUpperCase(), url, request.rawBody]),
  );
  return matched ? ok(matched.id) : fail('bad_signature', `legacy ${version}`);
}

function events(json: unknown): Record<string, unknown>[] {
  if (Array.isArray(json)) return json.map(asObject).filter((e): e is Record<string, unknown> => e !== undefined);
  const single = asObject(json);
  return single ? [single] : [];
}

export const hubspot: ProviderPreset<HubspotSettings> = {
  id: 'hubspot',
  label: 'HubSpot',
  secretLabel: 'App client secret',
  needsSecret: true,
  settingsSchema: hubspotSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const url = settings.signedUrl ?? request.url;
    const header = getHeader(request, 'x-hubspot-signature-v3');
    if (!header) {
      return settings.allowLegacySignatures ? verifyLegacy(request, secrets, url) : fail('missing_header', 'X-HubSpot-Signature-v3');
    }
    const timestamp = getHeader(request, 'x-hubspot-request-timestamp');
    if (!timestamp) return fail('missing_header', 'X-HubSpot-Request-Timestamp');
    const timestampMs = parseUnixTimestamp(timestamp, 'ms');
    if (timestampMs === null) return fail('malformed_header', 'X-HubSpot-Request-Timestamp is not Unix ms');
    const signature = decodeSignature(header, 'base64');
    if (!signature) return fail('malformed_header', 'X-HubSpot-Signature-v3 is not base64');

    const prefix = request.method.toUpperCase() + hubspotSignedUri(url);
    const matched = findSecretBySignature(secrets, [signature], (secret) => hmac('sha256', secret.value, [prefix, request.rawBody, timestamp]));
    if (!matched) return fail('bad_signature');
    if (!isWithinWindow(timestampMs, request.receivedAt, { maxAgeSeconds: settings.toleranceSeconds, maxFutureSeconds: null })) {
      return fail('stale_timestamp', `timestamp ${timestamp}`);
    }
    return ok(matched.id);
  },

  dedupKey(_request, body) {
    // A delivery is a batch of events; the same batch retried has the same eventIds.
    const ids = events(body.json)
      .map((e) => stringField(e, 'eventId'))
      .filter((id): id is string => id !== undefined);
    return compositeKey(ids);
  },

  eventType(_request, body) {
    return distinctJoined(events(body.json).map((e) => stringField(e, 'subscriptionType') ?? stringField(e, 'eventType')));
  },

  sampleRequest(secret, url, now, settings) {
    const occurredAt = now.getTime();
    const eventId = Math.floor(Math.random() * 2 ** 31);
    const body = JSON.stringify([
      {
        eventId,
        subscriptionId: 12345,
        portalId: 62515,
        appId: 54321,
        occurredAt,
        subscriptionType: 'contact.creation',
        attemptNumber: 0,
        objectId: 123,
        changeFlag: 'NEW',
        changeSource: 'CRM',
      },
    ]);
    const timestamp = String(occurredAt);
    const signedUrl = settings.signedUrl ?? url;
    const signature = hmac('sha256', secret, `POST${hubspotSignedUri(signedUrl)}${body}${timestamp}`).toString('base64');
    return {
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': timestamp,
      },
      body,
    };
  },
};
