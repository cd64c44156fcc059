/**
 * Small helpers the presets share for reading headers and bodies. The ingest path may use
 * `parseBody` to build the `ParsedBody` it hands to `dedupKey`, `eventType` and `handshake`.
 */
import { readJsonPathString } from '@/lib/json-path/json-path';
import { anyEqual, sha256 } from './crypto';
import type { IncomingWebhook, ParsedBody, VerificationSecret, VerifyResult } from './types';

/** A header's value, or undefined when absent or blank. `name` may be in any case. */
export function getHeader(request: Pick<IncomingWebhook, 'headers'>, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

function looksLikeJson(rawBody: Buffer): boolean {
  for (const byte of rawBody) {
    // skip ASCII whitespace, then the first byte decides
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x7b /* { */ || byte === 0x5b; /* [ */
  }
  return false;
}

/**
 * Parses a body once: JSON when the content type says JSON or the body looks like it, and
 * application/x-www-form-urlencoded when the content type says so.
 */
export function parseBody(rawBody: Buffer, contentType?: string): ParsedBody {
  const type = (contentType ?? '').toLowerCase();
  let json: unknown;
  if (type.includes('json') || looksLikeJson(rawBody)) {
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      json = undefined;
    }
  }
  const form = type.includes('application/x-www-form-urlencoded') ? new URLSearchParams(rawBody.toString('utf8')) : undefined;
  return { json, form };
}

/** `parseBody` for a whole request, reading its content-type header. */
export function parseRequestBody(request: IncomingWebhook): ParsedBody {
  return parseBody(request.rawBody, getHeader(request, 'content-type'));
}

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A field as a non-empty string; numbers are accepted and stringified (ids are often numeric). */
export function stringField(obj: unknown, key: string): string | undefined {
  const value = asObject(obj)?.[key];
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A non-empty string at a JSON path (lib/json-path: `data.object.id`, `items[0].sku`); numbers and booleans are stringified. */
export function stringAtPath(value: unknown, path: string): string | undefined {
  return readJsonPathString(value, path) ?? undefined;
}

/** The JSON body, or — for form bodies that carry JSON in one field (Slack's `payload`) — that field parsed. */
export function jsonFromFormField(body: ParsedBody, field: string): unknown {
  const raw = body.form?.get(field);
  if (raw === undefined || raw === null) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * A dedup key made of many ids (batched providers: HubSpot, SendGrid). Sorted so the order of a
 * batch does not matter; long lists are hashed to keep the key short.
 */
export function compositeKey(ids: readonly string[]): string | null {
  const unique = [...new Set(ids)].sort();
  if (unique.length === 0) return null;
  const joined = unique.join(',');
  return joined.length <= 200 ? joined : `sha256:${sha256(joined).toString('hex')}`;
}

/** Distinct values in first-seen order, joined by ","; null when there are none. */
export function distinctJoined(values: readonly (string | undefined)[]): string | null {
  const unique = [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
  return unique.length > 0 ? unique.join(',') : null;
}

// ---- results -------------------------------------------------------------------------------

export const ok = (secretId: string | null): VerifyResult => ({ ok: true, secretId });

export const fail = (reason: Exclude<VerifyResult, { ok: true }>['reason'], detail?: string): VerifyResult =>
  detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };

export const noSecrets = (): VerifyResult => fail('unknown_secret', 'the source has no active secret');

/** Returns the first secret for which `matches` is true. Secrets that cannot be used (bad keys) must return false. */
export function findMatchingSecret(secrets: readonly VerificationSecret[], matches: (secret: VerificationSecret) => boolean): VerificationSecret | undefined {
  for (const secret of secrets) {
    if (matches(secret)) return secret;
  }
  return undefined;
}

/**
 * The secret whose expected signature equals one of `candidates`. `expectedFor` returns null for
 * a secret that cannot be used (e.g. an undecodable key), which then simply never matches.
 */
export function findSecretBySignature(
  secrets: readonly VerificationSecret[],
  candidates: readonly Buffer[],
  expectedFor: (secret: VerificationSecret) => Buffer | null,
): VerificationSecret | undefined {
  return findMatchingSecret(secrets, (secret) => {
    const expected = expectedFor(secret);
    return expected !== null && anyEqual(candidates, expected);
  });
}
