import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '@/lib/config/env';
import { checkAllSettings, readProcessSettings, readTunables } from '@/lib/config/settings';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/hookyard',
  HOOKYARD_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
  AUTH_SECRET: 'a'.repeat(32),
};

function settingOf(env: Record<string, string | undefined>): string | undefined {
  try {
    readConfig(env);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('\n');
    return (error as ConfigError).setting;
  }
}

describe('readConfig', () => {
  it('accepts a complete environment with defaults', () => {
    const config = readConfig(valid);
    expect(config.port).toBe(3000);
    expect(config.masterKey).toHaveLength(32);
    expect(config.blockPrivateDestinations).toBe(false);
    expect(config.publicUrl).toBeNull();
  });

  it('names the setting that is wrong, in one line', () => {
    expect(settingOf({ ...valid, PORT: 'eighty' })).toBe('PORT');
    expect(settingOf({ ...valid, PORT: '70000' })).toBe('PORT');
    expect(settingOf({ ...valid, DATABASE_URL: 'mysql://x@y/z' })).toBe('DATABASE_URL');
    expect(settingOf({ ...valid, DATABASE_URL: 'not a url' })).toBe('DATABASE_URL');
    expect(settingOf({ ...valid, HOOKYARD_MASTER_KEY: 'short' })).toBe('HOOKYARD_MASTER_KEY');
    expect(settingOf({ ...valid, HOOKYARD_MASTER_KEY: Buffer.alloc(16).toString('base64') })).toBe('HOOKYARD_MASTER_KEY');
    expect(settingOf({ ...valid, HOOKYARD_MASTER_KEY: undefined })).toBe('HOOKYARD_MASTER_KEY');
    expect(settingOf({ ...valid, AUTH_SECRET: undefined })).toBe('AUTH_SECRET');
    expect(settingOf({ ...valid, AUTH_SECRET: 'short' })).toBe('AUTH_SECRET');
    expect(settingOf({ ...valid, HOOKYARD_PUBLIC_URL: 'ftp://example.com' })).toBe('HOOKYARD_PUBLIC_URL');
    expect(settingOf({ ...valid, HOOKYARD_BLOCK_PRIVATE_DESTINATIONS: 'maybe' })).toBe('HOOKYARD_BLOCK_PRIVATE_DESTINATIONS');
    expect(settingOf({ ...valid, HOOKYARD_RETENTION_DAYS: '0' })).toBe('HOOKYARD_RETENTION_DAYS');
    expect(settingOf({ ...valid, HOOKYARD_RETENTION_DAYS: 'a week' })).toBe('HOOKYARD_RETENTION_DAYS');
  });

  it('reads NEXTAUTH_SECRET when AUTH_SECRET is unset, and trims a trailing slash off the public URL', () => {
    const config = readConfig({ ...valid, AUTH_SECRET: undefined, NEXTAUTH_SECRET: 'b'.repeat(40), HOOKYARD_PUBLIC_URL: 'https://hooks.example.com/' });
    expect(config.authSecret).toBe('b'.repeat(40));
    expect(config.publicUrl).toBe('https://hooks.example.com');
  });
});

describe('tunables and process settings (lib/config/settings.ts)', () => {
  const base = { DATABASE_URL: 'postgresql://localhost/x', HOOKYARD_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'), AUTH_SECRET: 'a'.repeat(32) };

  it('has defaults for every tunable', () => {
    expect(readTunables({})).toEqual({
      ingest: { maxBatch: 500, maxConcurrent: 4, minBatchAlongside: 64, wakeWindowMs: 2, ginCleanEvery: 1000 },
      worker: {
        concurrency: 200,
        pollIntervalMs: 500,
        leaseRecoveryIntervalMs: 2000,
        leaseMarginSeconds: 30,
        shutdownGraceMs: 25000,
        alertRulesIntervalMs: 15000,
      },
      pools: { sql: 10, prisma: 10 },
      stream: { keepAliveMs: 10000, pollMs: 5000 },
    });
  });

  it.each([
    ['HOOKYARD_INGEST_MAX_BATCH', 'abc'],
    ['HOOKYARD_INGEST_MAX_BATCH', '0'],
    ['HOOKYARD_INGEST_MAX_CONCURRENT', '2.5'],
    ['HOOKYARD_INGEST_WAKE_WINDOW_MS', '-1'],
    ['HOOKYARD_WORKER_CONCURRENCY', 'abc'],
    ['HOOKYARD_WORKER_POLL_MS', ''.padEnd(3, 'x')],
    ['HOOKYARD_SQL_POOL', '1e3'],
    ['HOOKYARD_STREAM_KEEPALIVE_MS', '20000'],
    ['HOOKYARD_WEB_PROCESSES', 'two'],
    ['LOG_LEVEL', 'verbose'],
  ])('%s=%s stops start-up with one line that names it', (name, value) => {
    let error: unknown;
    try {
      checkAllSettings({ ...base, [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe(name);
    expect((error as Error).message).toMatch(new RegExp(`^${name}: `));
    expect((error as Error).message).not.toContain('\n');
  });

  it('reads what the launcher tells a process', () => {
    expect(
      readProcessSettings({ HOOKYARD_PROCESS: 'worker', HOOKYARD_SUPERVISED: '1', HOOKYARD_DASHBOARD_SOCKET: '/tmp/x/next.sock', LOG_LEVEL: 'WARN' }),
    ).toEqual({
      role: 'worker',
      supervised: true,
      dashboardSocket: '/tmp/x/next.sock',
      logLevel: 'warn',
      logFile: null,
    });
  });
});
