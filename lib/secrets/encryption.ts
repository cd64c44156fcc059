/**
 * Secret values at rest: AES-256-GCM under HOOKYARD_MASTER_KEY, with the secret's own id as
 * additional authenticated data, so a ciphertext copied onto another row does not decrypt.
 * Layout: version (1 byte) | iv (12) | tag (16) | ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { config } from '@/lib/config/env';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretDecryptionError extends Error {
  constructor(secretId: string) {
    // Never include the ciphertext or key material in the message.
    super(`Secret ${secretId} cannot be decrypted: was HOOKYARD_MASTER_KEY changed?`);
    this.name = 'SecretDecryptionError';
  }
}

export function encryptSecret(secretId: string, value: string, key: Buffer = config().masterKey): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(secretId));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  // A plain Uint8Array, which is what Prisma's Bytes fields take.
  return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]));
}

export function decryptSecret(secretId: string, blob: Uint8Array, key: Buffer = config().masterKey): string {
  const data = Buffer.from(blob);
  if (data[0] !== VERSION || data.length < 1 + IV_BYTES + TAG_BYTES) throw new SecretDecryptionError(secretId);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(Buffer.from(secretId));
    decipher.setAuthTag(data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptionError(secretId);
  }
}

/** What every role may see: the scheme prefix (e.g. "whsec_") and the last four characters. */
export function maskSecret(value: string): string {
  const prefix = /^[a-z]+_/i.exec(value)?.[0] ?? '';
  const tail = value.length - prefix.length > 8 ? value.slice(-4) : '';
  return `${prefix}••••••••${tail}`;
}
