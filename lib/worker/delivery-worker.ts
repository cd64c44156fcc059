/**
 * The delivery worker: claims due deliveries in batches, sends them concurrently, and records
 * the outcomes in batches. New deliveries wake it at once (LISTEN hookyard_deliveries); a short
 * poll is the fallback and picks up scheduled retries. Any number of workers, in any number of
 * processes, share one database safely, with each destination's limits holding across all of
 * them (see claim-due-deliveries.ts). Each worker writes a heartbeat (worker-registry.ts) and
 * takes over the deliveries of workers that died (recover-lost-leases.ts).
 */
import { resolveClearedExhaustedAlerts } from '@/lib/alerts/resolve-cleared-alerts';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Sql } from '@/lib/db/sql';
import { DELIVERIES_CHANNEL } from '@/lib/db/channels';
import { giveBackDelivery, skipDelivery } from '@/lib/deliveries/lifecycle/lease-deliveries';
import { prepareDelivery, recordTransformedRequest } from '@/lib/transforms/transform-delivery';
import { closeTransformPool } from '@/lib/transforms/transform-pool';
import { logger } from '@/lib/log/logger';
import { logDatabaseFailure, noteDatabaseReachable } from '@/lib/db/database-outage';
import { type ClaimedDelivery, claimDueDeliveries, releaseLeases } from './claim-due-deliveries';
import { getDestinationConfig, warmUpDestinationConfig } from './destination-config';
import { RATE_LIMITED_SEND_DEADLINE_MS } from './destination-rate-limits';
import { flushDeliveryStats } from './delivery-stats';
import type { DestinationConfig } from './destination-config';
import { type AttemptResult, recordResults } from './record-results';
import { recoverLostLeases } from './recover-lost-leases';
import { type AttemptOutcome, closeDispatcher, sendDelivery } from './send-delivery';
import { markWorkerStopped, recordHeartbeat, WORKER_HEARTBEAT_INTERVAL_MS } from './worker-registry';

export interface DeliveryWorkerOptions {
  /** Deliveries in flight at once in this worker. */
  concurrency?: number;
  /** Most rows one claim takes. */
  batchSize?: number;
  pollIntervalMs?: number;
  /** How often this worker looks for lost deliveries (expired leases, gone workers) to take over. */
  leaseRecoveryIntervalMs?: number;
  heartbeatIntervalMs?: number;
  /**
   * How soon to claim again when a destination with due work was being claimed for by another
   * worker (its row was locked): much sooner than the poll, so that several workers keep one
   * busy destination busy.
   */
  busyRetryMs?: number;
  /** Extra lease time beyond a destination's timeout. */
  leaseMarginSeconds?: number;
  /** How long shutdown waits for in-flight sends before giving their rows back. */
  shutdownGraceMs?: number;
  /** Results are written when this many are waiting, or after recordDelayMs. */
  recordBatchSize?: number;
  recordDelayMs?: number;
}

/**
 * What a worker reports as it goes, for operators and tests (as graphile-worker's WorkerEvents):
 * observe these instead of polling the database or sleeping. A listener that throws is logged
 * and never disturbs the worker.
 */
export interface WorkerEventMap {
  /** A claim returned rows (never emitted for an empty claim). */
  claimed: [{ deliveries: readonly ClaimedDelivery[] }];
  /** A send is about to start. */
  'attempt:start': [{ delivery: ClaimedDelivery; destination: DestinationConfig }];
  /** The route's transform returned null: the delivery was cancelled unsent (`skipped` false: its lease had been taken over). */
  'delivery:skipped': [{ delivery: ClaimedDelivery; destination: DestinationConfig; reason: string; skipped: boolean }];
  /** An attempt's outcome was written (`recorded` false: its lease had been taken over, so it was not). */
  'attempt:finish': [{ delivery: ClaimedDelivery; destination: DestinationConfig; outcome: AttemptOutcome; recorded: boolean }];
  /** Nothing in flight and every result written. */
  idle: [];
  /** The sweep resolved alerts whose condition cleared (delivery_exhausted whose failures were all replayed). */
  'alerts:resolved': [{ count: number }];
  /** stop() was called: no more claims. */
  stopping: [];
}

/** A transform that failed: an attempt of kind transform_error that sent nothing (record-results.ts fails it at once). */
function transformFailure(message: string, durationMs: number): AttemptOutcome {
  return {
    startedAt: new Date(),
    durationMs,
    status: null,
    headers: null,
    body: null,
    errorKind: 'transform_error',
    errorMessage: message,
    retryAfter: null,
    request: null,
  };
}

export class DeliveryWorker extends EventEmitter<WorkerEventMap> {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly host = hostname();
  private readonly options: Required<DeliveryWorkerOptions>;
  private inFlight = 0;
  private claiming = false;
  /** The claim loop now running (or the last one, settled): stop() and idle() wait on it, never poll. */
  private claimRun: Promise<void> = Promise.resolve();
  private wakeAgain = false;
  private stopping = false;
  private timers: NodeJS.Timeout[] = [];
  private retryTimer: { timer: NodeJS.Timeout; at: number } | undefined;
  private heartbeating: Promise<void> = Promise.resolve();
  private heartbeatPending = false;
  private unlisten: (() => Promise<void>) | undefined;
  private pendingResults: AttemptResult[] = [];
  private recordTimer: NodeJS.Timeout | undefined;
  private recording: Promise<void> = Promise.resolve();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly sql: () => Sql,
    options: DeliveryWorkerOptions = {},
  ) {
    super();
    this.options = {
      concurrency: options.concurrency ?? 200,
      batchSize: options.batchSize ?? 100,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      leaseRecoveryIntervalMs: options.leaseRecoveryIntervalMs ?? 2_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? WORKER_HEARTBEAT_INTERVAL_MS,
      busyRetryMs: options.busyRetryMs ?? 25,
      leaseMarginSeconds: options.leaseMarginSeconds ?? 30,
      shutdownGraceMs: options.shutdownGraceMs ?? 25_000,
      recordBatchSize: options.recordBatchSize ?? 200,
      recordDelayMs: options.recordDelayMs ?? 5,
    };
  }

  /** Emits without ever throwing into the worker. */
  private notify<K extends keyof WorkerEventMap>(event: K, ...args: WorkerEventMap[K]): void {
    try {
      (this.emit as (event: K, ...args: WorkerEventMap[K]) => boolean)(event, ...args);
    } catch (error) {
      logger.warn({ err: error, event }, 'a worker event listener failed');
    }
  }

  async start(): Promise<void> {
    // Registered before the first claim, so that no lease of this worker exists without its row.
    await this.heartbeat();
    await warmUpDestinationConfig().catch(() => undefined);
    const listener = await this.sql()
      .listen(
        DELIVERIES_CHANNEL,
        () => this.wake(),
        () => this.wake(),
      )
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'cannot LISTEN for new deliveries; polling only');
        return undefined;
      });
    this.unlisten = listener ? () => listener.unlisten() : undefined;
    this.timers.push(setInterval(() => this.wake(), this.options.pollIntervalMs));
    this.timers.push(setInterval(() => void this.heartbeat(), this.options.heartbeatIntervalMs));
    this.timers.push(
      setInterval(() => {
        recoverLostLeases(this.sql())
          .then((count) => {
            if (count > 0) {
              logger.info({ count }, 'took over deliveries of lost leases (recorded as worker_lost attempts)');
              this.wake();
            }
          })
          .catch((error: unknown) => logDatabaseFailure(error, 'lease recovery failed'));
        // A success may have been the replay of a destination's last waiting failure.
        resolveClearedExhaustedAlerts(this.sql(), 'all')
          .then((count) => {
            if (count > 0) this.notify('alerts:resolved', { count });
          })
          .catch((error: unknown) => logDatabaseFailure(error, 'resolving cleared alerts failed'));
      }, this.options.leaseRecoveryIntervalMs),
    );
    this.wake();
  }

  /**
   * Writes this worker's heartbeat. Never throws: without the database the worker keeps going,
   * and says so once. While one write is still waiting (the database is slow or gone), the next
   * tick is skipped rather than queued behind it.
   */
  private heartbeat(): Promise<void> {
    if (this.heartbeatPending) return this.heartbeating;
    this.heartbeatPending = true;
    this.heartbeating = (async () => {
      try {
        await recordHeartbeat(this.sql(), { id: this.id, host: this.host, pid: process.pid, inFlight: this.inFlight });
        noteDatabaseReachable();
      } catch (error) {
        logDatabaseFailure(error, 'cannot record the worker heartbeat', { worker: this.id });
      } finally {
        this.heartbeatPending = false;
      }
    })();
    return this.heartbeating;
  }

  /** Claim again in `ms` (the earliest such request wins), unless stopping. */
  private retrySoon(ms: number): void {
    if (this.stopping) return;
    const at = Date.now() + ms;
    if (this.retryTimer && this.retryTimer.at <= at) return;
    if (this.retryTimer) clearTimeout(this.retryTimer.timer);
    this.retryTimer = {
      at,
      timer: setTimeout(() => {
        this.retryTimer = undefined;
        this.wake();
      }, ms),
    };
  }

  /** Claim more work if there is room. Cheap to call often: concurrent calls coalesce. */
  wake(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.wakeAgain = true;
      return;
    }
    this.claimRun = this.claimLoop();
  }

  private async claimLoop(): Promise<void> {
    this.claiming = true;
    let retryInMs: number | null = null;
    try {
      do {
        this.wakeAgain = false;
        retryInMs = null;
        while (!this.stopping && this.inFlight < this.options.concurrency) {
          const limit = Math.min(this.options.batchSize, this.options.concurrency - this.inFlight);
          const claim = await claimDueDeliveries(this.sql(), { owner: this.id, limit, leaseMarginSeconds: this.options.leaseMarginSeconds });
          retryInMs = null;
          if (claim.busyDestinations > 0) retryInMs = this.options.busyRetryMs;
          if (claim.rateWaitMs !== null) {
            // A rate-limited destination gets allowance back then; the poll would be up to a poll late.
            const wait = Math.min(Math.max(claim.rateWaitMs, 1), this.options.pollIntervalMs);
            retryInMs = Math.min(retryInMs ?? wait, wait);
          }
          if (claim.deliveries.length > 0) this.notify('claimed', { deliveries: claim.deliveries });
          for (const delivery of claim.deliveries) this.dispatch(delivery);
          if (claim.deliveries.length < limit) break;
        }
      } while (this.wakeAgain && !this.stopping);
    } catch (error) {
      logDatabaseFailure(error, 'claiming deliveries failed');
    } finally {
      this.claiming = false;
      if (retryInMs !== null) this.retrySoon(retryInMs);
    }
  }

  private dispatch(delivery: ClaimedDelivery): void {
    this.inFlight++;
    void this.process(delivery, performance.now()).finally(() => {
      this.inFlight--;
      if (this.inFlight === 0) {
        this.idleWaiters.splice(0).forEach((resolve) => resolve());
        this.noteIfIdle();
      }
      this.wake();
    });
  }

  private async process(delivery: ClaimedDelivery, claimedAt: number): Promise<void> {
    try {
      const destination = await getDestinationConfig(delivery.destinationId);
      if (!destination || destination.status !== 'active') {
        // Paused or disabled after the claim: hand the row back untouched (no attempt made).
        await this.giveBack(delivery);
        return;
      }
      if (destination.rateLimitPerSecond !== null && performance.now() - claimedAt > RATE_LIMITED_SEND_DEADLINE_MS) {
        // Sent now, it could land next to later claims' requests and break the destination's rate (destination-rate-limits.ts).
        logger.debug(
          { delivery: delivery.id, destination: destination.id, lateMs: Math.round(performance.now() - claimedAt) },
          'a rate-limited delivery missed its send deadline; given back',
        );
        await this.giveBack(delivery);
        return;
      }
      // The route's transform, if it has one (lib/transforms), decides what is sent, or that nothing is.
      const prepared = await prepareDelivery(this.sql(), delivery);
      if (prepared.kind === 'skip') {
        const skipped = await skipDelivery(this.sql(), delivery.id, this.id, prepared.reason);
        this.notify('delivery:skipped', { delivery, destination, reason: prepared.reason, skipped });
        return;
      }
      if (prepared.kind === 'error') {
        this.queueResult({ delivery, destination, outcome: transformFailure(prepared.message, prepared.durationMs) });
        return;
      }
      this.notify('attempt:start', { delivery, destination });
      const outcome = await sendDelivery(
        { deliveryId: delivery.id, eventId: delivery.eventId, attempt: delivery.attemptCount + 1, headers: prepared.headers, body: prepared.body },
        destination,
      );
      if (prepared.transformed) outcome.request = recordTransformedRequest(outcome.request, prepared);
      this.queueResult({ delivery, destination, outcome });
    } catch (error) {
      // The lease will lapse and count as a (worker_lost) attempt: at least once, never lost.
      logger.error({ err: error, delivery: delivery.id }, 'processing a delivery failed');
    }
  }

  /** Hands a claimed row back unsent: no attempt was made, so none is recorded. */
  private giveBack(delivery: ClaimedDelivery): Promise<void> {
    return giveBackDelivery(this.sql(), delivery.id, this.id);
  }

  private queueResult(result: AttemptResult): void {
    this.pendingResults.push(result);
    if (this.pendingResults.length >= this.options.recordBatchSize) this.flushResults();
    else this.recordTimer ??= setTimeout(() => this.flushResults(), this.options.recordDelayMs);
  }

  private flushResults(): Promise<void> {
    clearTimeout(this.recordTimer);
    this.recordTimer = undefined;
    const batch = this.pendingResults;
    this.pendingResults = [];
    if (batch.length === 0) return this.recording;
    this.recording = this.recording
      .then(() => recordResults(this.sql(), this.id, batch))
      .then(
        (recorded) => {
          for (const result of batch) this.notify('attempt:finish', { ...result, recorded: recorded.has(result.delivery.id) });
        },
        (error: unknown) => {
          logDatabaseFailure(error, 'recording delivery results failed; their leases will lapse and they will be retried', { count: batch.length });
          for (const result of batch) this.notify('attempt:finish', { ...result, recorded: false });
        },
      )
      .then(() => {
        this.noteIfIdle();
        this.wake();
      });
    return this.recording;
  }

  private noteIfIdle(): void {
    if (this.inFlight === 0 && this.pendingResults.length === 0 && !this.recordTimer) this.notify('idle');
  }

  /** Stop claiming, let in-flight sends finish within the grace period, record them, give the rest back. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.notify('stopping');
    for (const timer of this.timers) clearInterval(timer);
    if (this.retryTimer) clearTimeout(this.retryTimer.timer);
    this.retryTimer = undefined;
    await this.unlisten?.().catch(() => undefined);
    await this.claimRun;
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise((resolve) => setTimeout(resolve, this.options.shutdownGraceMs)),
      ]);
    }
    await this.flushResults();
    const released = await releaseLeases(this.sql(), this.id).catch(() => 0);
    if (released > 0) logger.info({ released }, 'gave back unfinished deliveries');
    // After the release: a stopped worker's remaining leases are taken over as lost.
    await this.heartbeating;
    await markWorkerStopped(this.sql(), this.id).catch((error: unknown) => logger.warn({ err: error }, 'cannot mark the worker stopped'));
    await flushDeliveryStats();
    await closeDispatcher();
    await closeTransformPool();
  }

  /** For tests: resolves when nothing is in flight and all results are written. */
  async idle(): Promise<void> {
    while (this.inFlight > 0 || this.claiming || this.pendingResults.length > 0) {
      if (this.claiming) await this.claimRun;
      else if (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      else await this.flushResults();
    }
    await this.recording;
  }
}
