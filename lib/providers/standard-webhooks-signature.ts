/**
 * Standard Webhooks (https://www.standardwebhooks.com, spec: github.com/standard-webhooks), both
 * ways: the worker signs forwards with it, and the `standard-webhooks` and `svix` provider presets
 * verify requests with it (lib/providers/standard-webhooks.ts reads the headers and reports).
 *
 * `webhook-id`, `webhook-timestamp` (Unix s) and `webhook-signature` — a space-separated list of
 * `v1,<base64 HMAC-SHA256>` (symmetric) or `v1a,<base64 Ed25519>` (asymmetric) entries — over
 * `${id}.${timestamp}.${body}`. A symmetric secret is `whsec_` + base64 of the key bytes: the part
 * after the prefix is base64-decoded to get the HMAC key. An asymmetric one is `whpk_` + base64 of
 * the Ed25519 public key. During a rotation every active secret signs a forward, so a receiver
 * holding either the old or the new secret accepts it.
 */
import { anyEqual, decodeSignature, ed25519PublicKey, hmac, verifyEd25519 } from './crypto';

export type StandardKey = { kind: 'hmac'; key: Buffer } | { kind: 'ed25519'; key: NonNullable<ReturnType<typeof ed25519PublicKey>> };

/** The HMAC key of a signing secret: the base64 after `whsec_`. */
export function secretKeyBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

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

/** What is signed: `${id}.${timestamp}.` followed by the raw body. */
export function signedContent(id: string, timestamp: string | number, body: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

/** One `v1,<base64>` signature entry (the body is fed to the HMAC as is, never copied). */
export function signV1(key: Buffer, id: string, timestamp: string | number, body: Buffer | string): string {
  return `v1,${hmac('sha256', key, [`${id}.${timestamp}.`, body]).toString('base64')}`;
}

/** The headers of a signed forward: one `v1` entry per secret, space-separated. */
export function standardWebhooksHeaders(input: { id: string; timestamp: number; body: Buffer; secrets: readonly string[] }): Record<string, string> {
  const signatures = input.secrets.map((secret) => signV1(secretKeyBytes(secret), input.id, input.timestamp, input.body));
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

export interface SignatureEntries {
  v1: Buffer[];
  v1a: Buffer[];
}

/** The decodable `v1` and `v1a` entries of a signature header (at most 32 looked at). */
export function parseSignatureHeader(header: string): SignatureEntries {
  const entries: SignatureEntries = { v1: [], v1a: [] };
  // Entries are space-separated; a repeated header arrives joined with ", ", hence the trim of trailing commas.
  for (const raw of header.split(/\s+/).slice(0, 32)) {
    const entry = raw.replace(/,+$/, '');
    const comma = entry.indexOf(',');
    if (comma < 0) continue;
    const version = entry.slice(0, comma);
    const decoded = decodeSignature(entry.slice(comma + 1), 'base64');
    if (!decoded) continue;
    if (version === 'v1') entries.v1.push(decoded);
    else if (version === 'v1a') entries.v1a.push(decoded);
  }
  return entries;
}

/** Whether one of the entries is a signature of `content` under `key`. */
export function signatureMatches(key: StandardKey, content: Buffer, entries: SignatureEntries): boolean {
  if (key.kind === 'hmac') return anyEqual(entries.v1, hmac('sha256', key.key, content));
  return entries.v1a.some((candidate) => verifyEd25519(key.key, content, candidate));
}
