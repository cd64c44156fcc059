/**
 * A broker URL's password is a secret (SPEC "Destination types"): it is stored apart from the
 * URL, encrypted under HOOKYARD_MASTER_KEY with the destination id as additional data
 * (lib/secrets/encryption.ts), and every answer and page shows the URL with `***` in its place.
 * A URL sent back with `***` means "keep the stored password". This module owns those rules.
 *
 * A NATS URL's token (`nats://TOKEN@host:4222`: a user and no password, destination-schemes.ts)
 * is the same kind of secret, kept in the same column: the stored URL then has no user at all,
 * which is how `fullUrl` knows to put the secret back as the user, and the URL shows
 * `nats://***@host:4222`. A NATS URL with a user keeps it in the stored URL (user and password).
 */
import { AppError } from '@/lib/http/errors';
import { destinationUrlAad as aad } from '@/lib/secrets/encrypted-columns';
import { decryptSecret, encryptSecret } from '@/lib/secrets/encryption';
import { takesTokenAsUser, userIsToken } from './destination-schemes';

export const MASKED_PASSWORD = '***';

export interface SplitUrl {
  /** The URL without its password (user name kept), or, for a NATS token, without its user. */
  url: string;
  /** The password or token, decoded; null when the URL has none; MASKED_PASSWORD when the caller sent the mask back. */
  password: string | null;
}

export function splitPassword(raw: string): SplitUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: raw, password: null };
  }
  if (userIsToken(url)) {
    const token = decodeURIComponent(url.username);
    url.username = '';
    return { url: url.toString(), password: token };
  }
  if (!url.password) return { url: raw, password: null };
  // Stored without a user, this password would come back as a token (see above); NATS ignores it anyway.
  if (takesTokenAsUser(url) && !url.username)
    throw new AppError('invalid_input', 'url: a NATS URL carries user:password or a token as its user (nats://TOKEN@host:4222), not a password alone');
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), password };
}

/** Whether a URL stored with a secret holds it as its user (a NATS token) rather than as its password. */
export function secretIsToken(stored: string): boolean {
  try {
    const url = new URL(stored);
    return takesTokenAsUser(url) && !url.username;
  } catch {
    return false;
  }
}

function withPassword(stored: string, password: string): string {
  const url = new URL(stored);
  if (secretIsToken(stored)) url.username = encodeURIComponent(password);
  else url.password = encodeURIComponent(password);
  return url.toString();
}

/** The URL people see: `***` where the password (or NATS token) is. */
export function maskedUrl(stored: string, hasPassword: boolean): string {
  return hasPassword ? withPassword(stored, MASKED_PASSWORD).replace(encodeURIComponent(MASKED_PASSWORD), MASKED_PASSWORD) : maskUrlCredentials(stored);
}

/**
 * Any credential a URL carries, as `***`: a password, or a NATS URL's token. For URLs not stored
 * through splitPassword: attempts' URLs, and a NATS destination saved with its token in the URL
 * before tokens were split out (it keeps working; its next save with the masked URL encrypts it).
 */
export function maskUrlCredentials(raw: string): string {
  try {
    const url = new URL(raw);
    if (userIsToken(url)) {
      if (decodeURIComponent(url.username) === MASKED_PASSWORD) return raw;
      url.username = MASKED_PASSWORD;
      return url.toString();
    }
    if (!url.password || decodeURIComponent(url.password) === MASKED_PASSWORD) return raw;
    url.password = MASKED_PASSWORD;
    return url.toString();
  } catch {
    return raw;
  }
}

/** The URL to connect to. */
export function fullUrl(destinationId: string, stored: string, ciphertext: Uint8Array | null): string {
  return ciphertext ? withPassword(stored, decryptSecret(aad(destinationId), ciphertext)) : stored;
}

export function encryptUrlPassword(destinationId: string, password: string): Uint8Array<ArrayBuffer> {
  return encryptSecret(aad(destinationId), password);
}
