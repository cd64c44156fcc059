/**
 * Embedded mode (no DATABASE_URL): the master key, the auth secret and the embedded database's
 * password are generated once into `.data/secrets.json` (mode 0600) and reused on every start.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalSecrets {
  masterKey: string;
  authSecret: string;
  postgresPassword: string;
}

export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
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
