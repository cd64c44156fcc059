/**
 * SendGrid (Twilio SendGrid Event Webhook, signed): `X-Twilio-Email-Event-Webhook-Signature` is a
 * base64 DER ECDSA P-256/SHA-256 signature over `${X-Twilio-Email-Event-Webhook-Timestamp}${body}`.
 * The "secret" is the verification public key from Mail Settings (base64 DER, or PEM), so Hookyard
 * cannot sign samples. SendGrid documents no timestamp window; one can be set via `toleranceSeconds`.
 * The body is a JSON array of events; each has a unique `sg_event_id`.
 * https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
 */
import { z } from 'zod';
import { decodeSignature, ecPublicKey, isWithinWindow, parseUnixTimestamp, verifyEcdsaSha256 } from './crypto';
import { asObject, compositeKey, distinctJoined, fail, findMatchingSecret, getHeader, noSecrets, ok, stringField } from './parse';
import type { ProviderPreset } from './types';

export const sendgridSettingsSchema = z.object({
  /** Reject timestamps further than this from the receive time (both directions); 0 = no check, as SendGrid documents none. */
  toleranceSeconds: z.number().int().min(0).max(86_400).default(0),
});
export type SendgridSettings = z.output<typeof sendgridSettingsSchema>;

const SIGNATURE = 'x-twilio-email-event-webhook-signature';
const TIMESTAMP = 'x-twilio-email-event-webhook-timestamp';

function events(json: unknown): Record<string, unknown>[] {
  return Array.isArray(json) ? json.map(asObject).filter((e): e is Record<string, unknown> => e !== undefined) : [];
}

export const sendgrid: ProviderPreset<SendgridSettings> = {
  id: 'sendgrid',
  label: 'SendGrid',
  secretLabel: 'Verification key (public key, base64)',
  needsSecret: true,
  settingsSchema: sendgridSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, SIGNATURE);
    if (!header) return fail('missing_header', 'X-Twilio-Email-Event-Webhook-Signature');
    const timestamp = request.headers[TIMESTAMP];
    if (timestamp === undefined || timestamp === '') return fail('missing_header', 'X-Twilio-Email-Event-Webhook-Timestamp');
    const signature = decodeSignature(header, 'base64');
    if (!signature) return fail('malformed_header', 'signature is not base64');

    const message = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.rawBody]);
    const matched = findMatchingSecret(secrets, (secret) => {
      const key = ecPublicKey(secret.value);
      return key !== null && verifyEcdsaSha256(key, message, signature);
    });
    if (!matched) return fail('bad_signature');
    if (settings.toleranceSeconds > 0) {
      const timestampMs = parseUnixTimestamp(timestamp);
      const window = { maxAgeSeconds: settings.toleranceSeconds, maxFutureSeconds: settings.toleranceSeconds };
      if (timestampMs === null || !isWithinWindow(timestampMs, request.receivedAt, window)) {
        return fail('stale_timestamp', `timestamp ${timestamp.slice(0, 20)}`);
      }
    }
    return ok(matched.id);
  },

  dedupKey(_request, body) {
    return compositeKey(
      events(body.json)
        .map((e) => stringField(e, 'sg_event_id'))
        .filter((id): id is string => id !== undefined),
    );
  },

  eventType(_request, body) {
    return distinctJoined(events(body.json).map((e) => stringField(e, 'event')));
  },

  sampleRequest() {
    return null; // only SendGrid holds the private key
  },
};
