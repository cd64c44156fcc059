/**
 * Square: `x-square-hmacsha256-signature: <base64>`, HMAC-SHA256 of the notification URL (exactly
 * as registered in the Developer Console) followed by the raw body, keyed with the subscription's
 * signature key. No timestamp. The legacy SHA-1 `x-square-signature` is not accepted.
 * https://developer.squareup.com/docs/webhooks/step3validate
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeSignature, hmac, randomHex } from './crypto';
import { fail, findSecretBySignature, getHeader, noSecrets, ok, stringField } from './parse';
import type { ProviderPreset } from './types';

export const squareSettingsSchema = z.object({
  /** The notification URL exactly as registered with Square, when it differs from the one Hookyard derives. */
  notificationUrl: z.url().optional(),
});
export type SquareSettings = z.output<typeof squareSettingsSchema>;

export const square: ProviderPreset<SquareSettings> = {
  id: 'square',
  label: 'Square',
  secretLabel: 'Signature key',
  needsSecret: true,
  settingsSchema: squareSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, 'x-square-hmacsha256-signature');
    if (!header) return fail('missing_header', 'x-square-hmacsha256-signature');
    const signature = decodeSignature(header, 'base64');
    if (!signature) return fail('malformed_header', 'x-square-hmacsha256-signature is not base64');
    const url = settings.notificationUrl ?? request.url;
    const matched = findSecretBySignature(secrets, [signature], (secret) => hmac('sha256', secret.value, [url, request.rawBody]));
    return matched ? ok(matched.id) : fail('bad_signature');
  },

  dedupKey(_request, body) {
    return stringField(body.json, 'event_id') ?? null;
  },

  eventType(_request, body) {
    return stringField(body.json, 'type') ?? null;
  },

  sampleRequest(secret, url, now, settings) {
    const paymentId = randomHex(12).toUpperCase();
    const body = JSON.stringify({
      merchant_id: '6SSW7HV8K2ST5',
      type: 'payment.updated',
      event_id: randomUUID(),
      created_at: now.toISOString(),
      data: {
        type: 'payment',
        id: paymentId,
        object: {
          payment: {
            id: paymentId,
            amount_money: { amount: 1500, currency: 'USD' },
            status: 'COMPLETED',
            created_at: now.toISOString(),
          },
        },
      },
    });
    const signature = hmac('sha256', secret, (settings.notificationUrl ?? url) + body).toString('base64');
    return {
      headers: { 'content-type': 'application/json', 'square-version': '2025-07-16', 'x-square-hmacsha256-signature': signature },
      body,
    };
  },
};
