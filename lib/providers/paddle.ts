/**
 * Paddle Billing: `Paddle-Signature: ts=<unix s>;h1=<hex>[;h1=<hex>…]`, HMAC-SHA256 of
 * `${ts}:${body}` keyed with the notification destination's secret key (`pdl_ntfset_…`, used as-is).
 * "Signatures contain at least one h1" — several appear while a secret is rotated. Paddle's SDKs
 * reject a `ts` more than 5 seconds old (one-sided); the tolerance is configurable.
 * https://developer.paddle.com/webhooks/signature-verification
 */
import { z } from 'zod';
import { decodeSignature, hmac, isWithinWindow, parseUnixTimestamp, randomHex } from './crypto';
import { fail, findSecretBySignature, getHeader, noSecrets, ok, stringField } from './parse';
import type { ProviderPreset } from './types';

export const paddleSettingsSchema = z.object({
  /** Maximum age of `ts`. Paddle's SDKs use 5 seconds; 0 disables the check. */
  toleranceSeconds: z.number().int().min(0).max(86_400).default(5),
});
export type PaddleSettings = z.output<typeof paddleSettingsSchema>;

export function parsePaddleSignatureHeader(value: string): { ts: string | null; h1: string[] } {
  let ts: string | null = null;
  const h1: string[] = [];
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const val = part.slice(eq + 1).trim();
    if (key === 'ts') ts = val;
    else if (key === 'h1') h1.push(val);
  }
  return { ts, h1 };
}

export const paddle: ProviderPreset<PaddleSettings> = {
  id: 'paddle',
  label: 'Paddle',
  secretLabel: 'Endpoint secret key (pdl_ntfset_…)',
  needsSecret: true,
  settingsSchema: paddleSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, 'paddle-signature');
    if (!header) return fail('missing_header', 'Paddle-Signature');
    const { ts, h1 } = parsePaddleSignatureHeader(header);
    const timestampMs = ts === null ? null : parseUnixTimestamp(ts);
    if (ts === null || timestampMs === null) return fail('malformed_header', 'Paddle-Signature has no valid ts=');
    const candidates = h1.map((s) => decodeSignature(s, 'hex')).filter((b): b is Buffer => b !== null);
    if (candidates.length === 0) return fail('malformed_header', 'Paddle-Signature has no h1= signature');

    const matched = findSecretBySignature(secrets, candidates, (secret) => hmac('sha256', secret.value, [`${ts}:`, request.rawBody]));
    if (!matched) return fail('bad_signature');
    if (!isWithinWindow(timestampMs, request.receivedAt, { maxAgeSeconds: settings.toleranceSeconds, maxFutureSeconds: null })) {
      return fail('stale_timestamp', `ts=${ts}`);
    }
    return ok(matched.id);
  },

  dedupKey(_request, body) {
    return stringField(body.json, 'event_id') ?? stringField(body.json, 'notification_id') ?? null;
  },

  eventType(_request, body) {
    return stringField(body.json, 'event_type') ?? null;
  },

  sampleRequest(secret, _url, now) {
    const ts = Math.floor(now.getTime() / 1000);
    const body = JSON.stringify({
      event_id: `evt_${randomHex(13)}`,
      event_type: 'transaction.completed',
      occurred_at: now.toISOString(),
      notification_id: `ntf_${randomHex(13)}`,
      data: {
        id: `txn_${randomHex(13)}`,
        status: 'completed',
        customer_id: 'ctm_01h8441jn5pcwrfhwh78jqt8hk',
        currency_code: 'USD',
        origin: 'web',
        collection_mode: 'automatic',
        items: [{ price: null, quantity: 1 }],
        details: {
          tax_rates_used: [],
          totals: {
            subtotal: '2500',
            discount: '0',
            tax: '0',
            total: '2500',
            credit: '0',
            balance: '0',
            grand_total: '2500',
            fee: null,
            earnings: null,
            currency_code: 'USD',
          },
          line_items: [],
        },
        payments: [],
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        billed_at: now.toISOString(),
      },
    });
    const h1 = hmac('sha256', secret, `${ts}:${body}`).toString('hex');
    return { headers: { 'content-type': 'application/json', 'paddle-signature': `ts=${ts};h1=${h1}` }, body };
  },
};
