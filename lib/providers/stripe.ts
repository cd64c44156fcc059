/**
 * Stripe: `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 of `${t}.${body}` keyed
 * with the endpoint's signing secret (`whsec_…`, used as-is, not decoded). Several v1 entries appear
 * while a secret is being rolled. Like Stripe's own library, the window is one-sided: only an age
 * limit (default 300 s). https://docs.stripe.com/webhooks#verify-manually
 */
import { z } from 'zod';
import { decodeSignature, hmac, isWithinWindow, parseUnixTimestamp, randomHex } from './crypto';
import { fail, findSecretBySignature, getHeader, noSecrets, ok, stringField } from './parse';
import type { ProviderPreset } from './types';

export const stripeSettingsSchema = z.object({
  /** Maximum age of the signed timestamp; 0 disables the check (Stripe's library allows this too). */
  toleranceSeconds: z.number().int().min(0).max(86_400).default(300),
});
export type StripeSettings = z.output<typeof stripeSettingsSchema>;

export function parseStripeSignatureHeader(value: string): { timestamp: string | null; v1: string[] } {
  let timestamp: string | null = null;
  const v1: string[] = [];
  for (const item of value.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const key = item.slice(0, eq).trim();
    const val = item.slice(eq + 1).trim();
    if (key === 't') timestamp = val;
    else if (key === 'v1') v1.push(val);
  }
  return { timestamp, v1 };
}

export const stripe: ProviderPreset<StripeSettings> = {
  id: 'stripe',
  label: 'Stripe',
  secretLabel: 'Signing secret (whsec_…)',
  needsSecret: true,
  settingsSchema: stripeSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, 'stripe-signature');
    if (!header) return fail('missing_header', 'Stripe-Signature');
    const parsed = parseStripeSignatureHeader(header);
    const timestampMs = parsed.timestamp === null ? null : parseUnixTimestamp(parsed.timestamp);
    if (parsed.timestamp === null || timestampMs === null) return fail('malformed_header', 'Stripe-Signature has no valid t=');
    const candidates = parsed.v1.map((s) => decodeSignature(s, 'hex')).filter((b): b is Buffer => b !== null);
    if (candidates.length === 0) return fail('malformed_header', 'Stripe-Signature has no v1= signature');

    const matched = findSecretBySignature(secrets, candidates, (secret) => hmac('sha256', secret.value, [parsed.timestamp + '.', request.rawBody]));
    if (!matched) return fail('bad_signature');
    if (!isWithinWindow(timestampMs, request.receivedAt, { maxAgeSeconds: settings.toleranceSeconds, maxFutureSeconds: null })) {
      return fail('stale_timestamp', `t=${parsed.timestamp}`);
    }
    return ok(matched.id);
  },

  dedupKey(_request, body) {
    return stringField(body.json, 'id') ?? null;
  },

  eventType(_request, body) {
    return stringField(body.json, 'type') ?? null;
  },

  sampleRequest(secret, _url, now) {
    const t = Math.floor(now.getTime() / 1000);
    const body = JSON.stringify({
      id: `evt_${randomHex(12)}`,
      object: 'event',
      api_version: '2024-06-20',
      created: t,
      data: {
        object: {
          id: `pi_${randomHex(12)}`,
          object: 'payment_intent',
          amount: 2000,
          currency: 'usd',
          status: 'succeeded',
        },
      },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'payment_intent.succeeded',
    });
    const signature = hmac('sha256', secret, `${t}.${body}`).toString('hex');
    return {
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': `t=${t},v1=${signature}` },
      body,
    };
  },
};
