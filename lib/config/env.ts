/**
 * Every setting Hookyard reads from the environment, validated in one place. A bad value stops
 * start-up with one line that names the setting and says how to fix it (ConfigError).
 */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

export interface HookyardConfig {
  databaseUrl: string;
  port: number;
  publicUrl: string | null;
  masterKey: Buffer;
  /** HOOKYARD_MASTER_KEY_PREVIOUS: keys accepted for decryption only, during a rotation (docs/security-keys.md). */
  previousMasterKeys: Buffer[];
  authSecret: string;
  blockPrivateDestinations: boolean;
  trustProxy: boolean;
  retentionDays: number;
}

/** HOOKYARD_RETENTION_DAYS: how long events are kept; a whole number of days, at least 1 (default 30). */
export function readRetentionDays(raw: string | undefined): number {
  const trimmed = raw?.trim();
  if (!trimmed) return 30;
  const days = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(days) || days < 1) {
    throw new ConfigError('HOOKYARD_RETENTION_DAYS', `"${trimmed}" is not a whole number of days; use 1 or more, e.g. HOOKYARD_RETENTION_DAYS=30`);
  }
  return days;
}

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError('PORT', `"${raw}" is not a TCP port; use a whole number from 1 to 65535, e.g. PORT=3000`);
  }
  return port;
}

export function parseMasterKey(raw: string, setting = 'HOOKYARD_MASTER_KEY'): Buffer {
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== raw.trim().replace(/=+$/, '')) {
    throw new ConfigError(setting, 'must be 32 bytes encoded as base64 (44 characters); generate one with `openssl rand -base64 32`');
  }
  return key;
}

/**
 * HOOKYARD_MASTER_KEY_PREVIOUS: comma-separated keys that still decrypt (never encrypt), so that
 * processes restarted with a new HOOKYARD_MASTER_KEY read rows not yet re-encrypted by
 * `npm run secrets:rotate-key`. The current key, when repeated here, is dropped.
 */
export function parsePreviousMasterKeys(raw: string | undefined, current: Buffer): Buffer[] {
  const keys: Buffer[] = [];
  for (const part of (raw ?? '').split(',')) {
    if (part.trim() === '') continue;
    const key = parseMasterKey(part, 'HOOKYARD_MASTER_KEY_PREVIOUS');
    if (!key.equals(current) && !keys.some((known) => known.equals(key))) keys.push(key);
  }
  return keys;
}

function readDatabaseUrl(raw: string | undefined): string {
  if (!raw) {
    throw new ConfigError('DATABASE_URL', 'is not set; set it to a postgres:// URL, or unset it under `npm start` to use the embedded database');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL; expected postgresql://user:password@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `has protocol "${url.protocol}"; expected postgresql://user:password@host:5432/database`);
  }
  return raw;
}

export function readPublicUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return url.toString().replace(/\/+$/, '');
  } catch {
    throw new ConfigError('HOOKYARD_PUBLIC_URL', `"${raw}" is not an http(s) URL; e.g. HOOKYARD_PUBLIC_URL=https://hooks.example.com`);
  }
}

export function readBoolean(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return false;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `"${raw}" is not a boolean; use true or false`);
}

function readAuthSecret(env: Record<string, string | undefined>): string {
  const secret = env.AUTH_SECRET || env.NEXTAUTH_SECRET;
  if (!secret) {
    throw new ConfigError('AUTH_SECRET', 'is not set; generate one with `openssl rand -base64 32` (NEXTAUTH_SECRET works too)');
  }
  if (secret.length < 32) {
    throw new ConfigError('AUTH_SECRET', 'is too short; use at least 32 characters, e.g. `openssl rand -base64 32`');
  }
  return secret;
}

/** HOOKYARD_MASTER_KEY and HOOKYARD_MASTER_KEY_PREVIOUS alone: all that encryption needs (the rotation script has no other setting to ask for). */
export function readMasterKeys(env: Record<string, string | undefined> = process.env): Pick<HookyardConfig, 'masterKey' | 'previousMasterKeys'> {
  const rawKey = env.HOOKYARD_MASTER_KEY;
  if (!rawKey) {
    throw new ConfigError('HOOKYARD_MASTER_KEY', 'is not set; generate one with `openssl rand -base64 32` and give every Hookyard process the same value');
  }
  const masterKey = parseMasterKey(rawKey);
  return { masterKey, previousMasterKeys: parsePreviousMasterKeys(env.HOOKYARD_MASTER_KEY_PREVIOUS, masterKey) };
}

export function readConfig(env: Record<string, string | undefined> = process.env): HookyardConfig {
  const { masterKey, previousMasterKeys } = readMasterKeys(env);
  return {
    databaseUrl: readDatabaseUrl(env.DATABASE_URL),
    port: readPort(env.PORT),
    publicUrl: readPublicUrl(env.HOOKYARD_PUBLIC_URL),
    masterKey,
    previousMasterKeys,
    authSecret: readAuthSecret(env),
    blockPrivateDestinations: readBoolean('HOOKYARD_BLOCK_PRIVATE_DESTINATIONS', env.HOOKYARD_BLOCK_PRIVATE_DESTINATIONS),
    trustProxy: readBoolean('HOOKYARD_TRUST_PROXY', env.HOOKYARD_TRUST_PROXY),
    retentionDays: readRetentionDays(env.HOOKYARD_RETENTION_DAYS),
  };
}

/** A whole number from `min` to `max`, or `fallback` when unset. */
export function readInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number, unit = ''): number {
  const trimmed = raw?.trim();
  if (!trimmed) return fallback;
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `"${trimmed}" is not a whole number from ${min} to ${max}${unit ? ` ${unit}` : ''}; e.g. ${name}=${fallback}`);
  }
  return value;
}

/** What the launcher (`npm start`, `npm run web`) reads besides the shared settings. */
export interface LauncherConfig {
  /** Web (ingest) processes sharing PORT; two by default, so that the port never closes. */
  webProcesses: number;
  /** How long start-up waits for an unreachable DATABASE_URL before it gives up. */
  databaseWaitSeconds: number;
}

export function readLauncherConfig(env: Record<string, string | undefined> = process.env): LauncherConfig {
  return {
    webProcesses: readInteger('HOOKYARD_WEB_PROCESSES', env.HOOKYARD_WEB_PROCESSES, 2, 1, 32),
    databaseWaitSeconds: readInteger('HOOKYARD_DATABASE_WAIT_SECONDS', env.HOOKYARD_DATABASE_WAIT_SECONDS, 60, 0, 3600, 'seconds'),
  };
}

let cached: HookyardConfig | undefined;
let cachedKeys: ReturnType<typeof readMasterKeys> | undefined;

/** This process's master keys, read once (without requiring the other settings). */
export function masterKeys(): ReturnType<typeof readMasterKeys> {
  cachedKeys ??= cached ?? readMasterKeys();
  return cachedKeys;
}

/** The validated configuration of this process, read once. */
export function config(): HookyardConfig {
  cached ??= readConfig();
  return cached;
}

/** For tests that change the environment between cases. */
export function resetConfigForTests(): void {
  cached = undefined;
  cachedKeys = undefined;
}
