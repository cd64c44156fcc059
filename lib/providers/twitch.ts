/**
 * Twitch EventSub (webhook transport): `Twitch-Eventsub-Message-Signature: sha256=<hex>`,
 * HMAC-SHA256 of message id + timestamp + body (no separators) keyed with the subscription's
 * secret. The timestamp is RFC 3339 (with nanoseconds); Twitch says to reject messages older than
 * 10 minutes, and to drop repeated message ids. `webhook_callback_verification` must be answered
 * with the raw `challenge` as text/plain.
 * https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeSignature, hmac, isWithinWindow, parseRfc3339 } from './crypto';
import { asObject, fail, findSecretBySignature, getHeader, noSecrets, ok, stringAtPath, stringField } from './parse';
import type { ProviderPreset } from './types';

export const twitchSettingsSchema = z.object({
  /** Maximum age of Twitch-Eventsub-Message-Timestamp (Twitch: 10 minutes); 0 disables the check. */
  toleranceSeconds: z.number().int().min(0).max(86_400).default(600),
});
export type TwitchSettings = z.output<typeof twitchSettingsSchema>;

const H = {
  id: 'twitch-eventsub-message-id',
  timestamp: 'twitch-eventsub-message-timestamp',
  signature: 'twitch-eventsub-message-signature',
  type: 'twitch-eventsub-message-type',
  subscriptionType: 'twitch-eventsub-subscription-type',
} as const;

export const twitch: ProviderPreset<TwitchSettings> = {
  id: 'twitch',
  label: 'Twitch EventSub',
  secretLabel: 'Subscription secret',
  needsSecret: true,
  settingsSchema: twitchSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, H.signature);
    if (!header) return fail('missing_header', 'Twitch-Eventsub-Message-Signature');
    const id = request.headers[H.id];
    if (!id) return fail('missing_header', 'Twitch-Eventsub-Message-Id');
    const timestamp = request.headers[H.timestamp];
    if (!timestamp) return fail('missing_header', 'Twitch-Eventsub-Message-Timestamp');
    const timestampMs = parseRfc3339(timestamp);
    if (timestampMs === null) return fail('malformed_header', 'Twitch-Eventsub-Message-Timestamp is not RFC 3339');
    if (!header.startsWith('sha256=')) return fail('malformed_header', 'signature does not start with sha256=');
    const signature = decodeSignature(header.slice(7), 'hex');
    if (!signature) return fail('malformed_header', 'signature is not hex');

    const matched = findSecretBySignature(secrets, [signature], (secret) => hmac('sha256', secret.value, [id, timestamp, request.rawBody]));
    if (!matched) return fail('bad_signature');
    if (!isWithinWindow(timestampMs, request.receivedAt, { maxAgeSeconds: settings.toleranceSeconds, maxFutureSeconds: null })) {
      return fail('stale_timestamp', `timestamp ${timestamp.slice(0, 40)}`);
    }
    return ok(matched.id);
  },

  dedupKey(request) {
    return getHeader(request, H.id) ?? null;
  },

  eventType(request, body) {
    const subscriptionType = getHeader(request, H.subscriptionType) ?? stringAtPath(body.json, 'subscription.type');
    const messageType = getHeader(request, H.type);
    if (messageType === 'webhook_callback_verification' || messageType === 'revocation') {
      return subscriptionType ? `${messageType}:${subscriptionType}` : messageType;
    }
    return subscriptionType ?? null;
  },

  handshake(request, body) {
    if (getHeader(request, H.type) !== 'webhook_callback_verification') return null;
    const challenge = stringField(asObject(body.json), 'challenge');
    if (challenge === undefined) return null;
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: challenge };
  },

  sampleRequest(secret, url, now) {
    const id = randomUUID();
    const timestamp = now.toISOString();
    const body = JSON.stringify({
      subscription: {
        id: randomUUID(),
        status: 'enabled',
        type: 'channel.follow',
        version: '2',
        cost: 0,
        condition: { broadcaster_user_id: '1337', moderator_user_id: '1337' },
        transport: { method: 'webhook', callback: url },
        created_at: timestamp,
      },
      event: {
        user_id: '1234',
        user_login: 'cool_user',
        user_name: 'Cool_User',
        broadcaster_user_id: '1337',
        broadcaster_user_login: 'cooler_user',
        broadcaster_user_name: 'Cooler_User',
        followed_at: timestamp,
      },
    });
    return {
      headers: {
        'content-type': 'application/json',
        [H.id]: id,
        [H.timestamp]: timestamp,
        [H.signature]: `sha256=${hmac('sha256', secret, id + timestamp + body).toString('hex')}`,
        [H.type]: 'notification',
        [H.subscriptionType]: 'channel.follow',
        'twitch-eventsub-subscription-version': '2',
        'twitch-eventsub-message-retry': '0',
      },
      body,
    };
  },
};
