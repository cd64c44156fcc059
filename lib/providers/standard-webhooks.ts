/**
 * The Standard Webhooks preset: reads the `webhook-*` headers and verifies them with the scheme
 * in lib/providers/standard-webhooks-signature.ts (the same module the worker signs forwards with). The window is
 * two-sided, 5 minutes by default.
 *
 * Svix is the same scheme under `svix-*` headers; `svix.ts` reuses this factory.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeStandardSecret, parseSignatureHeader, signatureMatches, signedContent, signV1 } from '@/lib/providers/standard-webhooks-signature';
import { isWithinWindow, parseUnixTimestamp, randomHex } from './crypto';
import { fail, findMatchingSecret, getHeader, noSecrets, ok, stringField } from './parse';
import type { IncomingWebhook, ProviderId, ProviderPreset } from './types';

export const standardWebhooksSettingsSchema = z.object({
  /** Allowed distance of webhook-timestamp from the receive time, in either direction. */
  toleranceSeconds: z.number().int().min(0).max(86_400).default(300),
});
export type StandardWebhooksSettings = z.output<typeof standardWebhooksSettingsSchema>;

interface SchemeOptions {
  id: ProviderId;
  label: string;
  /** Header families to read, in order of preference, e.g. ['svix', 'webhook']. */
  headerPrefixes: readonly string[];
}

function readHeaders(request: IncomingWebhook, prefixes: readonly string[]) {
  for (const prefix of prefixes) {
    const signature = getHeader(request, `${prefix}-signature`);
    const id = getHeader(request, `${prefix}-id`);
    const timestamp = getHeader(request, `${prefix}-timestamp`);
    if (signature || id || timestamp) return { prefix, signature, id, timestamp };
  }
  return { prefix: prefixes[0] ?? 'webhook', signature: undefined, id: undefined, timestamp: undefined };
}

export function createStandardWebhooksPreset(options: SchemeOptions): ProviderPreset<StandardWebhooksSettings> {
  const primary = options.headerPrefixes[0] ?? 'webhook';
  return {
    id: options.id,
    label: options.label,
    secretLabel: 'Signing secret (whsec_…)',
    needsSecret: true,
    settingsSchema: standardWebhooksSettingsSchema,

    verify(request, secrets, settings) {
      if (secrets.length === 0) return noSecrets();
      const h = readHeaders(request, options.headerPrefixes);
      if (!h.id) return fail('missing_header', `${h.prefix}-id`);
      if (!h.timestamp) return fail('missing_header', `${h.prefix}-timestamp`);
      if (!h.signature) return fail('missing_header', `${h.prefix}-signature`);
      const timestampMs = parseUnixTimestamp(h.timestamp);
      if (timestampMs === null) return fail('malformed_header', `${h.prefix}-timestamp is not a Unix time`);

      const entries = parseSignatureHeader(h.signature);
      if (entries.v1.length === 0 && entries.v1a.length === 0) return fail('malformed_header', `${h.prefix}-signature has no v1 or v1a entry`);

      const content = signedContent(h.id, h.timestamp, request.rawBody);
      const matched = findMatchingSecret(secrets, (secret) => {
        const key = decodeStandardSecret(secret.value);
        return key !== null && signatureMatches(key, content, entries);
      });
      if (!matched) return fail('bad_signature');
      const window = { maxAgeSeconds: settings.toleranceSeconds, maxFutureSeconds: settings.toleranceSeconds };
      if (!isWithinWindow(timestampMs, request.receivedAt, window)) return fail('stale_timestamp', `timestamp ${h.timestamp}`);
      return ok(matched.id);
    },

    dedupKey(request) {
      return readHeaders(request, options.headerPrefixes).id ?? null;
    },

    eventType(_request, body) {
      return stringField(body.json, 'type') ?? stringField(body.json, 'eventType') ?? null;
    },

    sampleRequest(secret, _url, now) {
      const key = decodeStandardSecret(secret);
      if (!key || key.kind !== 'hmac') return null; // a whpk_ public key cannot sign
      const id = options.id === 'svix' ? `msg_${randomHex(12)}` : randomUUID();
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const body = JSON.stringify({
        type: 'invoice.paid',
        timestamp: now.toISOString(),
        data: { id: `inv_${randomHex(8)}`, amount: 4200, currency: 'EUR', customer: 'cus_123' },
      });
      const signature = signV1(key.key, id, timestamp, body);
      return {
        headers: {
          'content-type': 'application/json',
          [`${primary}-id`]: id,
          [`${primary}-timestamp`]: timestamp,
          [`${primary}-signature`]: signature,
        },
        body,
      };
    },
  };
}

export const standardWebhooks = createStandardWebhooksPreset({
  id: 'standard-webhooks',
  label: 'Standard Webhooks',
  headerPrefixes: ['webhook'],
});
