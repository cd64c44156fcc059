/**
 * Secret values at rest: AES-256-GCM under HOOKYARD_MASTER_KEY, with the secret's own id as
 * additional authenticated data, so a ciphertext copied onto another row does not decrypt.
 *
 * Layouts (the first byte says which):
 * - v1: 0x01 | iv (12) | tag (16) | ciphertext. Written before master-key rotation existed; it
 *   does not say which key made it, so every known key is tried.
 * - v2: 0x02 | key id (4) | iv (12) | tag (16) | ciphertext. The key id is the first 4 bytes of
 *   HMAC-SHA256(key, "hookyard master key id"): it names the key without revealing it, so
 *   decryption picks the key at once, and the rotation (rotate-master-key.ts) can tell which rows
 *   are already under the current key without decrypting them.
 *
 * Decryption accepts the current key and the previous ones (HOOKYARD_MASTER_KEY_PREVIOUS);
 * encryption always uses the current key. docs/security-keys.md has the rotation procedure.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { masterKeys } from '@/lib/config/env';

const V1 = 1;
const V2 = 2;
const KEY_ID_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretDecryptionError extends Error {
  constructor(secretId: string) {
    // Never include the ciphertext or key material in the message.
    super(`Secret ${secretId} cannot be decrypted: was HOOKYARD_MASTER_KEY changed? (the old key belongs in HOOKYARD_MASTER_KEY_PREVIOUS)`);
    this.name = 'SecretDecryptionError';
  }
}

/** The keys this process knows: `current` encrypts and decrypts, `previous` only decrypt. */
export interface MasterKeys {
  current: Buffer;
  previous: readonly Buffer[];
}

/** This process's keys, from its configuration. */
export function configuredMasterKeys(): MasterKeys {
  const { masterKey, previousMasterKeys } = masterKeys();
  return { current: masterKey, previous: previousMasterKeys };
}

const keyIds = new WeakMap<Buffer, Buffer>();

/** The 4-byte id a v2 blob carries for `key`. */
export function masterKeyId(key: Buffer): Buffer {
  let id = keyIds.get(key);
  if (!id) {
    id = createHmac('sha256', key).update('hookyard master key id').digest().subarray(0, KEY_ID_BYTES);
    keyIds.set(key, id);
  }
  return id;
}

export function encryptSecret(secretId: string, value: string, key: Buffer = masterKeys().masterKey): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(secretId));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  // A plain Uint8Array, which is what Prisma's Bytes fields take.
  return new Uint8Array(Buffer.concat([Buffer.from([V2]), masterKeyId(key), iv, cipher.getAuthTag(), ciphertext]));
}

function openWith(key: Buffer, secretId: string, iv: Buffer, tag: Buffer, ciphertext: Buffer): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(secretId));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

const asKeys = (keys: MasterKeys | Buffer): MasterKeys => (Buffer.isBuffer(keys) ? { current: keys, previous: [] } : keys);

export function decryptSecret(secretId: string, blob: Uint8Array, keys: MasterKeys | Buffer = configuredMasterKeys()): string {
  const data = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const { current, previous } = asKeys(keys);
  const all = [current, ...previous];
  if (data[0] === V1 && data.length >= 1 + IV_BYTES + TAG_BYTES) {
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const ciphertext = data.subarray(1 + IV_BYTES + TAG_BYTES);
    for (const key of all) {
      const value = openWith(key, secretId, iv, tag, ciphertext);
      if (value !== null) return value;
    }
  } else if (data[0] === V2 && data.length >= 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES) {
    const id = data.subarray(1, 1 + KEY_ID_BYTES);
    const start = 1 + KEY_ID_BYTES;
    const iv = data.subarray(start, start + IV_BYTES);
    const tag = data.subarray(start + IV_BYTES, start + IV_BYTES + TAG_BYTES);
    const ciphertext = data.subarray(start + IV_BYTES + TAG_BYTES);
    // Two keys may share an id (1 in 2^32): every key with this id is tried; GCM's tag decides.
    for (const key of all) {
      if (!masterKeyId(key).equals(id)) continue;
      const value = openWith(key, secretId, iv, tag, ciphertext);
      if (value !== null) return value;
    }
  }
  throw new SecretDecryptionError(secretId);
}

/** Whether `blob` is already a v2 blob under `key` (the rotation skips those rows). */
export function isEncryptedUnder(blob: Uint8Array, key: Buffer): boolean {
  const data = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  return data[0] === V2 && data.length > KEY_ID_BYTES && data.subarray(1, 1 + KEY_ID_BYTES).equals(masterKeyId(key));
}

/** What every role may see: the scheme prefix (e.g. "whsec_") and the last four characters. */
export function maskSecret(value: string): string {
  const prefix = /^[a-z]+_/i.exec(value)?.[0] ?? '';
  const tail = value.length - prefix.length > 8 ? value.slice(-4) : '';
  return `${prefix}••••••••${tail}`;
}
