/**
 * Discord (interactions endpoint and webhook events): `X-Signature-Ed25519: <hex>` is an Ed25519
 * signature over `${X-Signature-Timestamp}${body}`. The "secret" is the application's public key
 * (64 hex characters from the Developer Portal), so Hookyard cannot sign samples.
 * Discord validates the endpoint with a signed PING, which must be answered: an interaction PING
 * (`type: 1`) with `{"type":1}`, a webhook-event PING (`type: 0`) with 204.
 * Discord documents no timestamp window; one can be enforced through `toleranceSeconds`.
 * https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
import { z } from 'zod';
import { decodeSignature, ed25519PublicKey, isWithinWindow, parseUnixTimestamp, verifyEd25519 } from './crypto';
import { asObject, fail, findMatchingSecret, getHeader, noSecrets, ok, stringAtPath, stringField } from './parse';
import type { HandshakeResponse, ProviderPreset } from './types';

export const discordSettingsSchema = z.object({
  /** Reject timestamps further than this from the receive time (both directions); 0 = no check, as Discord documents none. */
  toleranceSeconds: z.number().int().min(0).max(86_400).default(0),
});
export type DiscordSettings = z.output<typeof discordSettingsSchema>;

const INTERACTION_TYPES: Record<number, string> = {
  1: 'PING',
  2: 'APPLICATION_COMMAND',
  3: 'MESSAGE_COMPONENT',
  4: 'APPLICATION_COMMAND_AUTOCOMPLETE',
  5: 'MODAL_SUBMIT',
};

/** Webhook-event bodies carry `event` (type 1) or are a PING (type 0); interactions have neither. */
function isWebhookEvent(json: Record<string, unknown>): boolean {
  return json.type === 0 || asObject(json.event) !== undefined;
}

export const discord: ProviderPreset<DiscordSettings> = {
  id: 'discord',
  label: 'Discord',
  secretLabel: 'Application public key (hex)',
  needsSecret: true,
  settingsSchema: discordSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, 'x-signature-ed25519');
    if (!header) return fail('missing_header', 'X-Signature-Ed25519');
    const timestamp = request.headers['x-signature-timestamp'];
    if (timestamp === undefined || timestamp === '') return fail('missing_header', 'X-Signature-Timestamp');
    const signature = decodeSignature(header, 'hex');
    if (!signature || signature.length !== 64) return fail('malformed_header', 'X-Signature-Ed25519 is not a 64-byte hex signature');

    const message = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.rawBody]);
    const matched = findMatchingSecret(secrets, (secret) => {
      const raw = decodeSignature(secret.value, 'hex');
      const key = raw ? ed25519PublicKey(raw) : null;
      return key !== null && verifyEd25519(key, message, signature);
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
    const json = asObject(body.json);
    if (!json || isWebhookEvent(json)) return null; // webhook events carry no id
    return stringField(json, 'id') ?? null;
  },

  eventType(_request, body) {
    const json = asObject(body.json);
    if (!json) return null;
    if (isWebhookEvent(json)) return json.type === 0 ? 'PING' : (stringAtPath(json, 'event.type') ?? null);
    const type = typeof json.type === 'number' ? INTERACTION_TYPES[json.type] : undefined;
    if (!type) return null;
    const name = stringAtPath(json, 'data.name') ?? stringAtPath(json, 'data.custom_id');
    return name ? `${type}:${name}` : type;
  },

  handshake(_request, body): HandshakeResponse | null {
    const json = asObject(body.json);
    if (!json) return null;
    if (json.type === 0 && isWebhookEvent(json)) return { status: 204, headers: {}, body: '' };
    if (json.type === 1 && !isWebhookEvent(json)) {
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 1 }) };
    }
    return null;
  },

  sampleRequest() {
    return null; // only Discord holds the private key
  },
};
