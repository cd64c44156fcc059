import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '@/lib/config/env';
import { dropLocalPreviousMasterKeys, loadOrCreateLocalSecrets, replaceLocalMasterKey } from '@/lib/config/local-secrets';
import { SecretDecryptionError, decryptSecret, encryptSecret, isEncryptedUnder, masterKeyId } from '@/lib/secrets/encryption';

const oldKey = Buffer.alloc(32, 0x11);
const newKey = Buffer.alloc(32, 0x22);
const otherKey = Buffer.alloc(32, 0x33);

/** A blob in the v1 layout, as written before key ids existed: version | iv | tag | ciphertext. */
function encryptV1(aad: string, value: string, key: Buffer): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), ciphertext]));
}

describe('secret blobs (lib/secrets/encryption.ts)', () => {
  it('writes v2 blobs that name their key, and reads them back', () => {
    const blob = encryptSecret('row-1', 'whsec_round_trip', newKey);
    expect(blob[0]).toBe(2);
    expect(Buffer.from(blob.subarray(1, 5)).equals(masterKeyId(newKey))).toBe(true);
    expect(decryptSecret('row-1', blob, newKey)).toBe('whsec_round_trip');
    expect(isEncryptedUnder(blob, newKey)).toBe(true);
    expect(isEncryptedUnder(blob, oldKey)).toBe(false);
  });

  it('reads v1 blobs with the current key or any previous key', () => {
    expect(decryptSecret('row-1', encryptV1('row-1', 'v1 under new', newKey), newKey)).toBe('v1 under new');
    const underOld = encryptV1('row-1', 'v1 under old', oldKey);
    expect(decryptSecret('row-1', underOld, { current: newKey, previous: [otherKey, oldKey] })).toBe('v1 under old');
    expect(() => decryptSecret('row-1', underOld, { current: newKey, previous: [otherKey] })).toThrow(SecretDecryptionError);
    expect(isEncryptedUnder(underOld, oldKey)).toBe(false);
  });

  it('reads v2 blobs written under a previous key, and refuses them once that key is gone', () => {
    const blob = encryptSecret('row-2', 'under old', oldKey);
    expect(decryptSecret('row-2', blob, { current: newKey, previous: [oldKey] })).toBe('under old');
    expect(() => decryptSecret('row-2', blob, { current: newKey, previous: [] })).toThrow(/cannot be decrypted/);
  });

  it('refuses a wrong key, another row id, a tampered or truncated blob, and an unknown version', () => {
    const blob = encryptSecret('row-3', 'secret value', newKey);
    expect(() => decryptSecret('row-3', blob, otherKey)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret('row-4', blob, newKey)).toThrow(SecretDecryptionError);
    const tampered = new Uint8Array(blob);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => decryptSecret('row-3', tampered, newKey)).toThrow(SecretDecryptionError);
    // A forged key id pointing at the right key does not help a blob made under another key.
    const forged = new Uint8Array(encryptSecret('row-3', 'x', otherKey));
    forged.set(masterKeyId(newKey), 1);
    expect(() => decryptSecret('row-3', forged, newKey)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret('row-3', blob.subarray(0, 20), newKey)).toThrow(SecretDecryptionError);
    const unknownVersion = new Uint8Array(blob);
    unknownVersion[0] = 3;
    expect(() => decryptSecret('row-3', unknownVersion, newKey)).toThrow(SecretDecryptionError);
  });

  it('never puts the value or the key in the error', () => {
    try {
      decryptSecret('row-5', encryptSecret('row-5', 'whsec_do_not_print_me', oldKey), newKey);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('do_not_print_me');
      expect((error as Error).message).not.toContain(newKey.toString('base64'));
    }
  });
});

describe('HOOKYARD_MASTER_KEY_PREVIOUS', () => {
  const env = { DATABASE_URL: 'postgresql://localhost/x', HOOKYARD_MASTER_KEY: newKey.toString('base64'), AUTH_SECRET: 'a'.repeat(32) };

  it('is a comma-separated list of keys, without the current one or repeats', () => {
    expect(readConfig(env).previousMasterKeys).toEqual([]);
    const config = readConfig({
      ...env,
      HOOKYARD_MASTER_KEY_PREVIOUS: ` ${oldKey.toString('base64')}, ${otherKey.toString('base64')},${oldKey.toString('base64')},${newKey.toString('base64')}`,
    });
    expect(config.previousMasterKeys).toEqual([oldKey, otherKey]);
  });

  it('names itself when one of the keys is malformed', () => {
    try {
      readConfig({ ...env, HOOKYARD_MASTER_KEY_PREVIOUS: `${oldKey.toString('base64')},short` });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).setting).toBe('HOOKYARD_MASTER_KEY_PREVIOUS');
    }
  });
});

describe('the embedded mode key file (.data/secrets.json)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gets a new key with the old one kept as previous, and forgets the previous ones on request', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hookyard-keys-'));
    const first = loadOrCreateLocalSecrets(dir);
    const second = replaceLocalMasterKey(dir);
    expect(second.masterKey).not.toBe(first.masterKey);
    expect(second.previousMasterKeys).toEqual([first.masterKey]);
    expect(second.authSecret).toBe(first.authSecret);
    expect(second.postgresPassword).toBe(first.postgresPassword);
    const third = replaceLocalMasterKey(dir);
    expect(third.previousMasterKeys).toEqual([second.masterKey, first.masterKey]);
    expect(loadOrCreateLocalSecrets(dir)).toEqual(third);
    expect(statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    dropLocalPreviousMasterKeys(dir);
    const dropped = JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as Record<string, unknown>;
    expect(dropped.masterKey).toBe(third.masterKey);
    expect(dropped.previousMasterKeys).toBeUndefined();
  });
});
