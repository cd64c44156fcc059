/**
 * Embedded mode (no DATABASE_URL): the master key, the auth secret and the embedded database's
 * password are generated once into `.data/secrets.json` (mode 0600) and reused on every start.
 * After `npm run secrets:rotate-key -- --new-key`, the file also lists the keys that came before
 * (`previousMasterKeys`, decryption only) until the rotation is done (docs/security-keys.md).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalSecrets {
  masterKey: string;
  /** Older master keys, newest first: they decrypt rows not yet re-encrypted. */
  previousMasterKeys?: string[];
  authSecret: string;
  postgresPassword: string;
}

const secretsFile = (dataDir: string) => path.join(dataDir, 'secrets.json');

export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const file = secretsFile(dataDir);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>;
    if (stored.masterKey && stored.authSecret && stored.postgresPassword) return stored as LocalSecrets;
    throw new Error(`${file} is incomplete; restore it from a backup (without it, stored secrets cannot be decrypted)`);
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets: LocalSecrets = {
    masterKey: randomBytes(32).toString('base64'),
    authSecret: randomBytes(32).toString('base64'),
    postgresPassword: randomBytes(18).toString('base64url'),
  };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return secrets;
}

/** Replaces the file in one step (write beside it, then rename), so a crash never leaves half a key file. */
function writeLocalSecrets(dataDir: string, secrets: LocalSecrets): void {
  const file = secretsFile(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** A new master key; the old one moves to the front of previousMasterKeys. */
export function replaceLocalMasterKey(dataDir: string, newKey: string = randomBytes(32).toString('base64')): LocalSecrets {
  const current = loadOrCreateLocalSecrets(dataDir);
  const previous = [current.masterKey, ...(current.previousMasterKeys ?? [])].filter((key, index, all) => key !== newKey && all.indexOf(key) === index);
  const next: LocalSecrets = { ...current, masterKey: newKey, previousMasterKeys: previous };
  writeLocalSecrets(dataDir, next);
  return next;
}

/** Forgets the previous keys (after a rotation has finished). */
export function dropLocalPreviousMasterKeys(dataDir: string): void {
  const { previousMasterKeys: _dropped, ...rest } = loadOrCreateLocalSecrets(dataDir);
  writeLocalSecrets(dataDir, rest);
}
