/**
 * A broker URL's password is a secret (SPEC "Destination types"): it is stored apart from the
 * URL, encrypted under HOOKYARD_MASTER_KEY with the destination id as additional data
 * (lib/secrets/encryption.ts), and every answer and page shows the URL with `***` in its place.
 * A URL sent back with `***` means "keep the stored password". This module owns those rules.
 */
import { destinationUrlAad as aad } from '@/lib/secrets/encrypted-columns';
import { decryptSecret, encryptSecret } from '@/lib/secrets/encryption';

export const MASKED_PASSWORD = '***';

export interface SplitUrl {
  /** The URL without its password (user name kept). */
  url: string;
  /** The password, decoded; null when the URL has none; MASKED_PASSWORD when the caller sent the mask back. */
  password: string | null;
}

export function splitPassword(raw: string): SplitUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: raw, password: null };
  }
  if (!url.password) return { url: raw, password: null };
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), password };
}

function withPassword(stored: string, password: string): string {
  const url = new URL(stored);
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** The URL people see: `***` where the password is. */
export function maskedUrl(stored: string, hasPassword: boolean): string {
  return hasPassword ? withPassword(stored, MASKED_PASSWORD).replace(encodeURIComponent(MASKED_PASSWORD), MASKED_PASSWORD) : stored;
}

/** The URL to connect to. */
export function fullUrl(destinationId: string, stored: string, ciphertext: Uint8Array | null): string {
  return ciphertext ? withPassword(stored, decryptSecret(aad(destinationId), ciphertext)) : stored;
}

export function encryptUrlPassword(destinationId: string, password: string): Uint8Array<ArrayBuffer> {
  return encryptSecret(aad(destinationId), password);
}
