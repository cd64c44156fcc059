/**
 * The broker connections a worker keeps: one per destination (keyed by destination id and URL,
 * so a changed URL gets a new one), opened on first use and shared by every send to it. The
 * rules every broker transport follows (docs/destination-types.md):
 *  - opening is bounded by the destination's timeout, and each key opens on its own, with no
 *    lock shared between keys: a dead broker never delays the others;
 *  - a connection that errors or closes is dropped, and the next send opens a new one; after a
 *    failed open, sends within a backoff (200 ms doubling to 10 s) fail at once with the same
 *    error, so a down broker costs no connect per attempt;
 *  - a connection unused for `idleMs` (60 s) is closed; all are closed on worker shutdown.
 */
import { logger } from '@/lib/log/logger';

export interface PoolOptions<C> {
  /** For logs: "amqp", "redis", "nats". */
  name: string;
  /** Opens a connection; `onLost` is to be called when it errors or closes by itself. */
  open: (url: string, timeoutMs: number, onLost: () => void) => Promise<C>;
  close: (connection: C) => Promise<void>;
  idleMs?: number;
}

interface Entry<C> {
  connection: Promise<C>;
  lastUsed: number;
  inUse: number;
}

interface Failure {
  error: unknown;
  failures: number;
  retryAt: number;
}

const BACKOFF_START_MS = 200;
const BACKOFF_MAX_MS = 10_000;
const SWEEP_MS = 15_000;
const CLOSE_TIMEOUT_MS = 2_000;

export class TimeoutError extends Error {
  readonly code = 'TIMEOUT';
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** `promise`, or a TimeoutError after `ms`; `onLate` gets a value that arrives too late. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onLate?: (value: T) => void): Promise<T> {
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then((value) => {
      if (timedOut) onLate?.(value);
      return value;
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new TimeoutError(what, ms));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export class ConnectionPool<C> {
  private readonly entries = new Map<string, Entry<C>>();
  private readonly failures = new Map<string, Failure>();
  private readonly idleMs: number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: PoolOptions<C>) {
    this.idleMs = options.idleMs ?? 60_000;
  }

  /** Runs `work` with the key's connection, opening it if needed. `drop` it when the connection is no longer trusted. */
  async withConnection<T>(key: string, url: string, timeoutMs: number, work: (connection: C, drop: () => void) => Promise<T>): Promise<T> {
    const entry = this.entryFor(key, url, timeoutMs);
    entry.inUse++;
    try {
      const connection = await entry.connection;
      return await work(connection, () => this.drop(key, entry));
    } finally {
      entry.inUse--;
      entry.lastUsed = Date.now();
    }
  }

  private entryFor(key: string, url: string, timeoutMs: number): Entry<C> {
    const existing = this.entries.get(key);
    if (existing) return existing;
    const failure = this.failures.get(key);
    if (failure && Date.now() < failure.retryAt) {
      // Backing off: the same answer as the last open, at once.
      return { connection: Promise.reject(failure.error), lastUsed: Date.now(), inUse: 0 };
    }
    const entry: Entry<C> = { connection: Promise.resolve(undefined as C), lastUsed: Date.now(), inUse: 0 };
    entry.connection = withTimeout(
      this.options.open(url, timeoutMs, () => this.drop(key, entry)),
      timeoutMs,
      `connecting to ${this.options.name}`,
      (late) => void this.options.close(late).catch(() => undefined),
    ).then(
      (connection) => {
        this.failures.delete(key);
        return connection;
      },
      (error: unknown) => {
        const failures = (this.failures.get(key)?.failures ?? 0) + 1;
        this.failures.set(key, { error, failures, retryAt: Date.now() + Math.min(BACKOFF_START_MS * 2 ** (failures - 1), BACKOFF_MAX_MS) });
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw error;
      },
    );
    // A rejected open that nobody awaits (it is awaited in use()) must not be unhandled.
    entry.connection.catch(() => undefined);
    this.entries.set(key, entry);
    this.startSweeper();
    return entry;
  }

  private drop(key: string, entry: Entry<C>): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    entry.connection.then((connection) => this.options.close(connection)).catch(() => undefined);
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(SWEEP_MS, this.idleMs));
    this.sweeper.unref();
  }

  /** Closes connections unused for idleMs. */
  closeIdle(now = Date.now()): void {
    for (const [key, entry] of this.entries) {
      if (entry.inUse === 0 && now - entry.lastUsed >= this.idleMs) {
        logger.debug({ transport: this.options.name }, 'closing an idle broker connection');
        this.drop(key, entry);
      }
    }
    if (this.entries.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  /** How many connections are open or opening (tests and the docs' idle rule). */
  get size(): number {
    return this.entries.size;
  }

  async closeAll(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const entries = [...this.entries.values()];
    this.entries.clear();
    this.failures.clear();
    // Bounded: a broker that stopped answering must not hold up the worker's shutdown.
    await Promise.all(
      entries.map((entry) =>
        withTimeout(
          entry.connection.then((c) => this.options.close(c)),
          CLOSE_TIMEOUT_MS,
          `closing a ${this.options.name} connection`,
        ).catch(() => undefined),
      ),
    );
  }
}
