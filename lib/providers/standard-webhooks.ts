/**
 * Standard Webhooks (https://www.standardwebhooks.com, spec: github.com/standard-webhooks):
 * `webhook-id`, `webhook-timestamp` (Unix s) and `webhook-signature` — a space-separated list of
 * `v1,<base64 HMAC-SHA256>` (symmetric) or `v1a,<base64 Ed25519>` (asymmetric) entries — over
 * `${id}.${timestamp}.${body}`. A symmetric secret is `whsec_` + base64 of the key bytes: the part
 * after the prefix is base64-decoded to get the HMAC key. An asymmetric one is `whpk_` + base64 of
 * the Ed25519 public key. The window is two-sided, 5 minutes by default.
 *
 * Svix is the same scheme under `svix-*` headers; `svix.ts` reuses this factory.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { anyEqual, decodeSignature, ed25519PublicKey, hmac, isWithinWindow, parseUnixTimestamp, randomHex, verifyEd25519 } from './crypto';
import { fail, findMatchingSecret, getHeader, noSecrets, ok, stringField } from './parse';
import type { IncomingWebhook, ProviderId, ProviderPreset } from './types';

export const standardWebhooksSettingsSchema = z.object({
  /** Allowed distance of webhook-timestamp from the receive time, in either direction. */
  toleranceSeconds: z.number().int().min(0).max(86_400).default(300),
});
export type StandardWebhooksSettings = z.output<typeof standardWebhooksSettingsSchema>;

type StandardKey = { kind: 'hmac'; key: Buffer } | { kind: 'ed25519'; key: NonNullable<ReturnType<typeof ed25519PublicKey>> };

/** Interprets a secret as the spec says: `whsec_<base64>` (HMAC key) or `whpk_<base64>` (Ed25519 public key). */
export function decodeStandardSecret(value: string): StandardKey | null {
  const trimmed = value.trim();
  if (trimmed.startsWith('whpk_')) {
    const key = ed25519PublicKey(Buffer.from(trimmed.slice(5), 'base64'));
    return key ? { kind: 'ed25519', key } : null;
  }
  const body = trimmed.startsWith('whsec_') ? trimmed.slice(6) : trimmed;
  const key = Buffer.from(body, 'base64');
  return key.length > 0 ? { kind: 'hmac', key } : null;
}

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

      const v1: Buffer[] = [];
      const v1a: Buffer[] = [];
      // Entries are space-separated; a repeated header arrives joined with ", ", hence the trim of trailing commas.
      for (const raw of h.signature.split(/\s+/).slice(0, 32)) {
        const entry = raw.replace(/,+$/, '');
        const comma = entry.indexOf(',');
        if (comma < 0) continue;
        const version = entry.slice(0, comma);
        const decoded = decodeSignature(entry.slice(comma + 1), 'base64');
        if (!decoded) continue;
        if (version === 'v1') v1.push(decoded);
        else if (version === 'v1a') v1a.push(decoded);
      }
      if (v1.length === 0 && v1a.length === 0) return fail('malformed_header', `${h.prefix}-signature has no v1 or v1a entry`);

      const content = Buffer.concat([Buffer.from(`${h.id}.${h.timestamp}.`, 'utf8'), request.rawBody]);
      const matched = findMatchingSecret(secrets, (secret) => {
        const key = decodeStandardSecret(secret.value);
        if (!key) return false;
        if (key.kind === 'hmac') {
          return anyEqual(v1, hmac('sha256', key.key, content));
        }
        return v1a.some((candidate) => verifyEd25519(key.key, content, candidate));
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
      const signature = hmac('sha256', key.key, `${id}.${timestamp}.${body}`).toString('base64');
      return {
        headers: {
          'content-type': 'application/json',
          [`${primary}-id`]: id,
          [`${primary}-timestamp`]: timestamp,
          [`${primary}-signature`]: `v1,${signature}`,
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
