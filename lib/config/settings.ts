/**
 * The settings beyond the core ones of env.ts: the tunables of the hot paths, the pools, the
 * logger, and what a process learns from its launcher. Read and validated here (the only module
 * tree that reads process.env, with env.ts), passed to the rest as typed values. A malformed
 * value is a ConfigError naming the setting: `npm start` checks every setting before it starts
 * anything (checkAllSettings), and each process checks them again when it starts, so a typo
 * stops start-up with one line instead of, say, a group commit that never forms a batch
 * (HOOKYARD_INGEST_MAX_BATCH=abc made every ingest request wait forever).
 */
import { ConfigError, readBoolean, readConfig, readInteger, readLauncherConfig, readRetentionDays } from './env';
import { readSignInSettings } from './oidc-settings';

type Env = Record<string, string | undefined>;

export interface IngestTunables {
  /** Most events in one group commit. */
  maxBatch: number;
  /** Most batches in flight at once. */
  maxConcurrent: number;
  /** Fewest queued events for which a batch starts beside another. */
  minBatchAlongside: number;
  /** How long wake-up NOTIFYs may ride inside event batches (ms). */
  wakeWindowMs: number;
  /** Events stored between two merges of the payload index's pending list. */
  ginCleanEvery: number;
}

export interface WorkerTunables {
  /** Deliveries in flight at once in one worker. */
  concurrency: number;
  pollIntervalMs: number;
  leaseRecoveryIntervalMs: number;
  /** Extra lease time beyond a destination's timeout. */
  leaseMarginSeconds: number;
  /** How long a stopping worker waits for its sends before giving their rows back. */
  shutdownGraceMs: number;
  /** How often the alert rules are evaluated (once per interval across all workers; lib/alerts/rules). */
  alertRulesIntervalMs: number;
}

export interface PoolSizes {
  /** postgres.js connections per process (hot paths). */
  sql: number;
  /** Prisma connections per process. */
  prisma: number;
}

export interface StreamTunables {
  /** The longest an event stream stays silent: a comment line goes out at least this often (ms, at most 15 s). */
  keepAliveMs: number;
  /** How often a process with stream clients looks for new events without a wake-up (ms), in case a NOTIFY was lost. */
  pollMs: number;
}

export interface Tunables {
  ingest: IngestTunables;
  worker: WorkerTunables;
  pools: PoolSizes;
  stream: StreamTunables;
}

export function readTunables(env: Env = process.env): Tunables {
  return {
    ingest: {
      maxBatch: readInteger('HOOKYARD_INGEST_MAX_BATCH', env.HOOKYARD_INGEST_MAX_BATCH, 500, 1, 10_000),
      maxConcurrent: readInteger('HOOKYARD_INGEST_MAX_CONCURRENT', env.HOOKYARD_INGEST_MAX_CONCURRENT, 4, 1, 64),
      minBatchAlongside: readInteger('HOOKYARD_INGEST_MIN_BATCH_ALONGSIDE', env.HOOKYARD_INGEST_MIN_BATCH_ALONGSIDE, 64, 1, 10_000),
      wakeWindowMs: readInteger('HOOKYARD_INGEST_WAKE_WINDOW_MS', env.HOOKYARD_INGEST_WAKE_WINDOW_MS, 2, 0, 1000, 'ms'),
      ginCleanEvery: readInteger('HOOKYARD_INGEST_GIN_CLEAN_EVERY', env.HOOKYARD_INGEST_GIN_CLEAN_EVERY, 1000, 1, 10_000_000),
    },
    worker: {
      concurrency: readInteger('HOOKYARD_WORKER_CONCURRENCY', env.HOOKYARD_WORKER_CONCURRENCY, 200, 1, 10_000),
      pollIntervalMs: readInteger('HOOKYARD_WORKER_POLL_MS', env.HOOKYARD_WORKER_POLL_MS, 500, 10, 60_000, 'ms'),
      leaseRecoveryIntervalMs: readInteger('HOOKYARD_LEASE_RECOVERY_MS', env.HOOKYARD_LEASE_RECOVERY_MS, 2_000, 100, 600_000, 'ms'),
      leaseMarginSeconds: readInteger('HOOKYARD_LEASE_MARGIN_SECONDS', env.HOOKYARD_LEASE_MARGIN_SECONDS, 30, 1, 3_600, 'seconds'),
      shutdownGraceMs: readInteger('HOOKYARD_SHUTDOWN_GRACE_MS', env.HOOKYARD_SHUTDOWN_GRACE_MS, 25_000, 0, 600_000, 'ms'),
      alertRulesIntervalMs: readInteger('HOOKYARD_ALERT_RULES_INTERVAL_MS', env.HOOKYARD_ALERT_RULES_INTERVAL_MS, 15_000, 100, 3_600_000, 'ms'),
    },
    pools: {
      sql: readInteger('HOOKYARD_SQL_POOL', env.HOOKYARD_SQL_POOL, 10, 1, 200),
      prisma: readInteger('HOOKYARD_PRISMA_POOL', env.HOOKYARD_PRISMA_POOL, 10, 1, 200),
    },
    stream: {
      keepAliveMs: readInteger('HOOKYARD_STREAM_KEEPALIVE_MS', env.HOOKYARD_STREAM_KEEPALIVE_MS, 10_000, 100, 15_000, 'ms'),
      pollMs: readInteger('HOOKYARD_STREAM_POLL_MS', env.HOOKYARD_STREAM_POLL_MS, 5_000, 100, 60_000, 'ms'),
    },
  };
}

let cachedTunables: Tunables | undefined;

/** This process's tunables, read once (checkAllSettings has validated them at start-up). */
export function tunables(): Tunables {
  cachedTunables ??= readTunables();
  return cachedTunables;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ProcessSettings {
  /** Which Hookyard process this is (HOOKYARD_PROCESS, set by the launcher): web, dashboard, worker, … */
  role: string;
  /** Started by the launcher, which decides when it stops (HOOKYARD_SUPERVISED=1). */
  supervised: boolean;
  /** Where the Next.js process listens (set by the launcher), or null. */
  dashboardSocket: string | null;
  logLevel: LogLevel;
  /** HOOKYARD_LOG_FILE: write logs there (synchronously) instead of stdout. */
  logFile: string | null;
}

export function readLogLevel(env: Env = process.env): LogLevel {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return env.NODE_ENV === 'test' ? 'silent' : 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError('LOG_LEVEL', `"${env.LOG_LEVEL}" is not a log level; use one of ${LOG_LEVELS.join(', ')}`);
  }
  return raw as LogLevel;
}

export function readProcessSettings(env: Env = process.env): ProcessSettings {
  return {
    role: env.HOOKYARD_PROCESS || 'web',
    supervised: env.HOOKYARD_SUPERVISED === '1',
    dashboardSocket: env.HOOKYARD_DASHBOARD_SOCKET || null,
    logLevel: readLogLevel(env),
    logFile: env.HOOKYARD_LOG_FILE || null,
  };
}

/**
 * The database URL as the environment has it now. Not cached: a script may point the process at
 * the embedded database once it knows where it is (lib/db/local-database.ts), and each test file
 * runs against a database of its own.
 */
export function currentDatabaseUrl(env: Env = process.env): string {
  const url = env.DATABASE_URL;
  if (!url) throw new ConfigError('DATABASE_URL', 'is not set; set it to a postgres:// URL, or use `npm start`, which starts an embedded database');
  return url;
}

/** HOOKYARD_RETENTION_DAYS (env.ts reads it; default 30). */
export function retentionDays(env: Env = process.env): number {
  return readRetentionDays(env.HOOKYARD_RETENTION_DAYS);
}

/**
 * HOOKYARD_SIGN_IN_MAX_DELAY_MS: the cap on the delay a throttled sign-in waits (default 8000,
 * lib/auth/login-throttle.ts). Lowered by the browser tests, which lock accounts on purpose;
 * locks themselves do not depend on it.
 */
export function signInMaxDelayMs(env: Env = process.env): number {
  return readInteger('HOOKYARD_SIGN_IN_MAX_DELAY_MS', env.HOOKYARD_SIGN_IN_MAX_DELAY_MS, 8_000, 0, 60_000, 'ms');
}

let cachedTrustProxy: boolean | undefined;

/**
 * HOOKYARD_TRUST_PROXY: take the client's address from X-Forwarded-For. The same reading as
 * readConfig's (1, true, yes, on), read once per process.
 */
export function trustProxy(): boolean {
  cachedTrustProxy ??= readBoolean('HOOKYARD_TRUST_PROXY', process.env.HOOKYARD_TRUST_PROXY);
  return cachedTrustProxy;
}

/**
 * HOOKYARD_METRICS_PUBLIC: `/api/metrics` answers without an API key (for a Prometheus on a
 * private network that cannot send one). Read at each scrape, so a test can flip it.
 */
export function metricsPublic(env: Env = process.env): boolean {
  return readBoolean('HOOKYARD_METRICS_PUBLIC', env.HOOKYARD_METRICS_PUBLIC);
}

export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number];

/**
 * Tracing (lib/tracing): on when OTEL_EXPORTER_OTLP_ENDPOINT (or the traces-only
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set and OTEL_SDK_DISABLED is not true. The exporter reads
 * its own OTEL_EXPORTER_OTLP_* variables (endpoint, headers, timeout, compression) and the
 * resource reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES; the trace SDK (3.x) no longer
 * reads the sampler and batch variables itself, so they are read here, with the specification's
 * names and defaults.
 */
export interface TracingSettings {
  enabled: boolean;
  sampler: TraceSamplerName;
  /** OTEL_TRACES_SAMPLER_ARG: the ratio of the traceidratio samplers, 0..1 (default 1). */
  samplerRatio: number;
  /** OTEL_BSP_SCHEDULE_DELAY: ms between two exports (default 5000). */
  scheduleDelayMs: number;
  /** OTEL_BSP_MAX_QUEUE_SIZE (default 2048). */
  maxQueueSize: number;
  /** OTEL_BSP_MAX_EXPORT_BATCH_SIZE (default 512). */
  maxExportBatchSize: number;
}

export function readTracingSettings(env: Env = process.env): TracingSettings {
  const endpoint = (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT || '').trim();
  const rawSampler = (env.OTEL_TRACES_SAMPLER || 'parentbased_always_on').trim().toLowerCase();
  if (!(TRACE_SAMPLERS as readonly string[]).includes(rawSampler)) {
    throw new ConfigError('OTEL_TRACES_SAMPLER', `"${env.OTEL_TRACES_SAMPLER}" is not a sampler; use one of ${TRACE_SAMPLERS.join(', ')}`);
  }
  const rawRatio = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  const ratio = rawRatio ? Number(rawRatio) : 1;
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new ConfigError('OTEL_TRACES_SAMPLER_ARG', `"${rawRatio}" is not a ratio; use a number from 0 to 1, e.g. OTEL_TRACES_SAMPLER_ARG=0.1`);
  }
  const maxQueueSize = readInteger('OTEL_BSP_MAX_QUEUE_SIZE', env.OTEL_BSP_MAX_QUEUE_SIZE, 2048, 1, 1_000_000);
  return {
    enabled: endpoint !== '' && !readBoolean('OTEL_SDK_DISABLED', env.OTEL_SDK_DISABLED),
    sampler: rawSampler as TraceSamplerName,
    samplerRatio: ratio,
    scheduleDelayMs: readInteger('OTEL_BSP_SCHEDULE_DELAY', env.OTEL_BSP_SCHEDULE_DELAY, 5000, 0, 3_600_000, 'ms'),
    maxQueueSize,
    maxExportBatchSize: Math.min(maxQueueSize, readInteger('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, 512, 1, 1_000_000)),
  };
}

let cachedTracing: TracingSettings | undefined;

/** This process's tracing settings, read once: the ingest path asks for `enabled` on every request. */
export function tracingSettings(): TracingSettings {
  cachedTracing ??= readTracingSettings();
  return cachedTracing;
}

/** For tests that change the environment between cases. */
export function resetSettingsForTests(): void {
  cachedTunables = undefined;
  cachedTrustProxy = undefined;
  cachedTracing = undefined;
}

/** This process's environment, to hand on to a child process it starts. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env };
}

/** Points this process at a database found at run time (a script on the embedded database). */
export function pointAtDatabase(url: string): void {
  process.env.DATABASE_URL = url;
}

/** Whether DATABASE_URL is set (a script then uses it rather than the embedded database). */
export function hasDatabaseUrl(): boolean {
  return Boolean(process.env.DATABASE_URL);
}

/** Uses the embedded mode's generated master key (and its previous keys) unless a key is configured. */
export function adoptMasterKeyIfUnset(key: string, previous: readonly string[] = []): void {
  if (process.env.HOOKYARD_MASTER_KEY) return;
  process.env.HOOKYARD_MASTER_KEY = key;
  if (previous.length > 0) process.env.HOOKYARD_MASTER_KEY_PREVIOUS = previous.join(',');
}

/** Whether HOOKYARD_MASTER_KEY is set in the environment (rather than taken from `.data/secrets.json`). */
export function hasMasterKeyInEnv(): boolean {
  return Boolean(process.env.HOOKYARD_MASTER_KEY);
}

/** The secret that signs session cookies (AUTH_SECRET, or next-auth's NEXTAUTH_SECRET). */
export function authSecret(env: Env = process.env): string | undefined {
  return env.AUTH_SECRET || env.NEXTAUTH_SECRET || undefined;
}

/**
 * Every setting, as `npm start` checks them before starting anything, and each process again when
 * it starts. Throws the first ConfigError.
 */
export function checkAllSettings(env: Env = process.env): void {
  readConfig(env);
  readLauncherConfig(env);
  readTunables(env);
  signInMaxDelayMs(env);
  readProcessSettings(env);
  metricsPublic(env);
  readTracingSettings(env);
  readNotificationSettings(env);
  readSignInSettings(env);
}

/** How email notifications leave (lib/notifications/send-email.ts): both set, or email channels cannot send. */
export interface NotificationSettings {
  /** HOOKYARD_SMTP_URL: `smtp://user:pass@host:port` (STARTTLS when the server offers it) or `smtps://…` (TLS from the start). */
  smtpUrl: string | null;
  /** HOOKYARD_EMAIL_FROM: the sender, `hookyard@example.com` or `Hookyard <hookyard@example.com>`. */
  emailFrom: string | null;
}

const EMAIL_ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

/** A bare address, or `Name <address>`. */
function isSender(value: string): boolean {
  const named = /^[^<>]*<([^<>]+)>$/.exec(value);
  return EMAIL_ADDRESS.test(named ? named[1]!.trim() : value);
}

export function readNotificationSettings(env: Env = process.env): NotificationSettings {
  const rawUrl = env.HOOKYARD_SMTP_URL?.trim() || null;
  const emailFrom = env.HOOKYARD_EMAIL_FROM?.trim() || null;
  if (rawUrl) {
    // The value carries a password: the messages below never repeat it.
    let url: URL | null = null;
    try {
      url = new URL(rawUrl);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
      throw new ConfigError('HOOKYARD_SMTP_URL', 'is not an SMTP URL; use smtp://user:password@host:587 (or smtps://… for TLS from the start)');
    }
    if (url.port && (Number(url.port) < 1 || Number(url.port) > 65535))
      throw new ConfigError('HOOKYARD_SMTP_URL', 'has an invalid port; e.g. smtp://user:password@host:587');
    if (!emailFrom)
      throw new ConfigError('HOOKYARD_EMAIL_FROM', 'is not set; email notifications need a sender, e.g. HOOKYARD_EMAIL_FROM=hookyard@example.com');
  }
  if (emailFrom && !isSender(emailFrom)) {
    throw new ConfigError(
      'HOOKYARD_EMAIL_FROM',
      `"${emailFrom}" is not an email address; e.g. HOOKYARD_EMAIL_FROM=hookyard@example.com or "Hookyard <hookyard@example.com>"`,
    );
  }
  return { smtpUrl: rawUrl, emailFrom };
}

/** This process's email settings. Read on each call (they are two strings), so a test can point them at its own SMTP server. */
export function notificationSettings(): NotificationSettings {
  return readNotificationSettings();
}
