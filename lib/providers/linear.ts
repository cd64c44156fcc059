/**
 * Linear: `Linear-Signature: <hex>`, HMAC-SHA256 of the raw body keyed with the webhook's signing
 * secret. Freshness comes from `webhookTimestamp` (Unix ms) inside the signed body, which Linear's
 * SDK requires within 60 s of now in either direction. `Linear-Delivery` identifies a delivery.
 * https://linear.app/developers/webhooks#securing-webhooks
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeSignature, hmac, isWithinWindow } from './crypto';
import { asObject, fail, findSecretBySignature, getHeader, noSecrets, ok, stringField } from './parse';
import type { ProviderPreset } from './types';

export const linearSettingsSchema = z.object({
  /** Allowed distance of webhookTimestamp from the receive time, in either direction (Linear's SDK: 60 s). */
  toleranceSeconds: z.number().int().min(0).max(86_400).default(60),
});
export type LinearSettings = z.output<typeof linearSettingsSchema>;

export const linear: ProviderPreset<LinearSettings> = {
  id: 'linear',
  label: 'Linear',
  secretLabel: 'Webhook signing secret',
  needsSecret: true,
  settingsSchema: linearSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, 'linear-signature');
    if (!header) return fail('missing_header', 'Linear-Signature');
    const signature = decodeSignature(header, 'hex');
    if (!signature) return fail('malformed_header', 'Linear-Signature is not hex');
    const matched = findSecretBySignature(secrets, [signature], (secret) => hmac('sha256', secret.value, request.rawBody));
    if (!matched) return fail('bad_signature');

    // Only the timestamp inside the signed body is trusted (the Linear-Timestamp header is not signed).
    let payload: unknown;
    try {
      payload = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      return fail('malformed_header', 'body is not JSON, so it has no webhookTimestamp');
    }
    const timestamp = asObject(payload)?.webhookTimestamp;
    if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
      return fail('malformed_header', 'webhookTimestamp missing from the body');
    }
    const window = { maxAgeSeconds: settings.toleranceSeconds, maxFutureSeconds: settings.toleranceSeconds };
    if (!isWithinWindow(timestamp, request.receivedAt, window)) return fail('stale_timestamp', `webhookTimestamp ${timestamp}`);
    return ok(matched.id);
  },

  dedupKey(request) {
    return getHeader(request, 'linear-delivery') ?? null;
  },

  eventType(request, body) {
    const type = stringField(body.json, 'type') ?? getHeader(request, 'linear-event');
    if (!type) return null;
    const action = stringField(body.json, 'action');
    return action ? `${type}.${action}` : type;
  },

  sampleRequest(secret, _url, now) {
    const body = JSON.stringify({
      action: 'create',
      type: 'Issue',
      createdAt: now.toISOString(),
      organizationId: randomUUID(),
      url: 'https://linear.app/hookyard/issue/HOOK-42/forward-webhooks',
      webhookTimestamp: now.getTime(),
      webhookId: randomUUID(),
      data: {
        id: randomUUID(),
        identifier: 'HOOK-42',
        title: 'Forward webhooks to the agents',
        priority: 2,
        state: { id: randomUUID(), name: 'Todo', type: 'unstarted' },
      },
    });
    return {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'linear-delivery': randomUUID(),
        'linear-event': 'Issue',
        'linear-signature': hmac('sha256', secret, body).toString('hex'),
      },
      body,
    };
  },
};
