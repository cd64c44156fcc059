/**
 * Shared primitives for the provider presets: HMAC, constant-time comparison, signature decoding
 * and timestamp windows. Everything here is synchronous and pure.
 */
import { createHash, createHmac, createPublicKey, randomBytes, timingSafeEqual, verify as verifySignatureAsymmetric, type KeyObject } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';

/** Bytes to sign: pieces are concatenated as-is (strings as UTF-8), so the raw body is never re-encoded. */
export type SignedContent = string | Buffer | ReadonlyArray<string | Buffer>;

function toBuffer(content: SignedContent): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (Buffer.isBuffer(content)) return content;
  return Buffer.concat((content as ReadonlyArray<string | Buffer>).map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
}

export function hmac(algorithm: HmacAlgorithm, key: string | Buffer, content: SignedContent): Buffer {
  const mac = createHmac(algorithm, key);
  // Piece by piece: joining them first would copy the body once more.
  if (typeof content === 'string' || Buffer.isBuffer(content)) mac.update(content as string | Buffer);
  else for (const part of content as ReadonlyArray<string | Buffer>) mac.update(part);
  return mac.digest();
}

export function sha256(content: SignedContent): Buffer {
  return createHash('sha256').update(toBuffer(content)).digest();
}

/**
 * Constant-time equality of two byte strings. `expected` is the value we computed; `received` is
 * attacker-controlled. The work done is always one timingSafeEqual over `expected.length` bytes,
 * whatever `received` is, so neither a length mismatch nor the position of the first differing
 * byte shows in the timing. (The expected length is public: it is the digest size.)
 */
export function timingSafeEqualBytes(received: Buffer, expected: Buffer): boolean {
  const sameLength = received.length === expected.length;
  // On a length mismatch compare `expected` with itself: same amount of work, result discarded.
  const equal = timingSafeEqual(sameLength ? received : expected, expected);
  return sameLength && equal;
}

/**
 * Constant-time equality for shared secrets (tokens, passwords). Both sides are hashed first so
 * that not even the secret's length can be learnt from the timing.
 */
export function safeEqualSecret(received: string, expected: string): boolean {
  return timingSafeEqual(sha256(received), sha256(expected));
}

const HEX_RE = /^[0-9a-fA-F]+$/;
const BASE64_RE = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Decodes a signature as sent by a provider. Returns null when it is not valid in the encoding, so
 * the caller can tell a malformed header from a wrong signature. Hex is case-insensitive; base64
 * accepts the URL-safe alphabet and missing padding.
 */
export function decodeSignature(value: string, encoding: SignatureEncoding): Buffer | null {
  const trimmed = value.trim();
  if (trimmed.length === 0) return null;
  if (encoding === 'hex') {
    if (trimmed.length % 2 !== 0 || !HEX_RE.test(trimmed)) return null;
    return Buffer.from(trimmed, 'hex');
  }
  if (!BASE64_RE.test(trimmed)) return null;
  const decoded = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return decoded.length > 0 ? decoded : null;
}

/** True when any candidate equals `expected` (each compared in constant time). */
export function anyEqual(candidates: readonly Buffer[], expected: Buffer): boolean {
  let found = false;
  for (const candidate of candidates) {
    // No early exit: every candidate is compared, so timing shows only how many there were.
    if (timingSafeEqualBytes(candidate, expected)) found = true;
  }
  return found;
}

export interface TimestampWindow {
  /** How far in the past the timestamp may be, in seconds. 0 disables the check entirely. */
  maxAgeSeconds: number;
  /**
   * How far in the future the timestamp may be, in seconds; null when the provider's scheme is
   * one-sided (only an age limit), as Stripe's, Paddle's, Twitch's and HubSpot's are.
   */
  maxFutureSeconds: number | null;
}

/** Whether `timestampMs` lies inside the window around `now`. */
export function isWithinWindow(timestampMs: number, now: Date, window: TimestampWindow): boolean {
  if (!Number.isFinite(timestampMs)) return false;
  if (window.maxAgeSeconds <= 0) return true;
  const deltaMs = now.getTime() - timestampMs;
  if (deltaMs > window.maxAgeSeconds * 1000) return false;
  if (window.maxFutureSeconds !== null && -deltaMs > window.maxFutureSeconds * 1000) return false;
  return true;
}

const INTEGER_RE = /^\d{1,16}$/;

/** Parses an integer Unix timestamp in seconds (or milliseconds with unit 'ms'); null when malformed. */
export function parseUnixTimestamp(value: string, unit: 's' | 'ms' = 's'): number | null {
  const trimmed = value.trim();
  if (!INTEGER_RE.test(trimmed)) return null;
  const n = Number(trimmed);
  return unit === 's' ? n * 1000 : n;
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp (any number of fractional digits, as Twitch sends) to epoch ms. */
export function parseRfc3339(value: string): number | null {
  const m = RFC3339_RE.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return Number.isFinite(utc) ? utc - offsetMinutes * 60_000 : null;
}

/** Random hex id for sample requests, so that repeated test sends are not deduplicated. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** An Ed25519 public key from its 32 raw bytes; null when the bytes are not a key. */
export function ed25519PublicKey(raw: Buffer): KeyObject | null {
  if (raw.length !== 32) return null;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  } catch {
    return null;
  }
}

/** Ed25519 verification that never throws (a malformed signature is simply not valid). */
export function verifyEd25519(key: KeyObject, message: Buffer, signature: Buffer): boolean {
  if (signature.length !== 64) return false;
  try {
    return verifySignatureAsymmetric(null, message, key, signature);
  } catch {
    return false;
  }
}

/**
 * An EC public key given as PEM, or as base64 DER (SubjectPublicKeyInfo) the way SendGrid's
 * console shows it; null when it cannot be read.
 */
export function ecPublicKey(value: string): KeyObject | null {
  try {
    const trimmed = value.trim();
    const key = trimmed.startsWith('-----BEGIN')
      ? createPublicKey({ key: trimmed, format: 'pem' })
      : createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec' ? key : null;
  } catch {
    return null;
  }
}

/** ECDSA-with-SHA-256 verification of a DER signature that never throws. */
export function verifyEcdsaSha256(key: KeyObject, message: Buffer, derSignature: Buffer): boolean {
  try {
    return verifySignatureAsymmetric('sha256', message, key, derSignature);
  } catch {
    return false;
  }
}
