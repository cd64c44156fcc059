/**
 * The delivery worker: claims due deliveries in batches, sends them concurrently, and records
 * the outcomes in batches. New deliveries wake it at once (LISTEN hookyard_deliveries); a short
 * poll is the fallback and picks up scheduled retries. Any number of workers, in any number of
 * processes, share one database safely (see claim-due-deliveries.ts). Each worker writes a
 * heartbeat (worker-registry.ts) and takes over the deliveries of workers that died
 * (recover-lost-leases.ts).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Sql } from '@/lib/db/sql';
import { DELIVERIES_CHANNEL } from '@/lib/ingest/wake-workers';
import { logger } from '@/lib/log/logger';
import { type ClaimedDelivery, claimDueDeliveries, releaseLeases } from './claim-due-deliveries';
import { getDestinationConfig } from './destination-config';
import { flushDeliveryStats } from './delivery-stats';
import { type AttemptResult, recordResults } from './record-results';
import { recoverLostLeases } from './recover-lost-leases';
import { closeDispatcher, sendDelivery } from './send-delivery';
import { destinationRateCaps, noteRateUse } from './destination-rate-limits';
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
  /** Extra lease time beyond a destination's timeout. */
  leaseMarginSeconds?: number;
  /** How long shutdown waits for in-flight sends before giving their rows back. */
  shutdownGraceMs?: number;
  /** Results are written when this many are waiting, or after recordDelayMs. */
  recordBatchSize?: number;
  recordDelayMs?: number;
}

export class DeliveryWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly host = hostname();
  private readonly options: Required<DeliveryWorkerOptions>;
  private inFlight = 0;
  private claiming = false;
  private wakeAgain = false;
  private stopping = false;
  private timers: NodeJS.Timeout[] = [];
  private heartbeating: Promise<void> = Promise.resolve();
  private heartbeatPending = false;
  private heartbeatFailing = false;
  private unlisten: (() => Promise<void>) | undefined;
  private pendingResults: AttemptResult[] = [];
  private recordTimer: NodeJS.Timeout | undefined;
  private recording: Promise<void> = Promise.resolve();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly sql: () => Sql,
    options: DeliveryWorkerOptions = {},
  ) {
    this.options = {
      concurrency: options.concurrency ?? Number(process.env.HOOKYARD_WORKER_CONCURRENCY ?? 200),
      batchSize: options.batchSize ?? 100,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      leaseRecoveryIntervalMs: options.leaseRecoveryIntervalMs ?? 2_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? WORKER_HEARTBEAT_INTERVAL_MS,
      leaseMarginSeconds: options.leaseMarginSeconds ?? 30,
      shutdownGraceMs: options.shutdownGraceMs ?? 25_000,
      recordBatchSize: options.recordBatchSize ?? 200,
      recordDelayMs: options.recordDelayMs ?? 5,
    };
  }

  async start(): Promise<void> {
    // Registered before the first claim, so that no lease of this worker exists without its row.
    await this.heartbeat();
    const listener = await this.sql()
      .listen(DELIVERIES_CHANNEL, () => this.wake(), () => this.wake())
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
          .catch((error: unknown) => logger.warn({ err: error }, 'lease recovery failed'));
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
        if (this.heartbeatFailing) logger.info({ worker: this.id }, 'worker heartbeat recorded again');
        this.heartbeatFailing = false;
      } catch (error) {
        if (!this.heartbeatFailing) logger.warn({ err: error, worker: this.id }, 'cannot record the worker heartbeat; will keep trying');
        this.heartbeatFailing = true;
      } finally {
        this.heartbeatPending = false;
      }
    })();
    return this.heartbeating;
  }

  /** Claim more work if there is room. Cheap to call often: concurrent calls coalesce. */
  wake(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.wakeAgain = true;
      return;
    }
    void this.claimLoop();
  }

  private async claimLoop(): Promise<void> {
    this.claiming = true;
    try {
      do {
        this.wakeAgain = false;
        while (!this.stopping && this.inFlight < this.options.concurrency) {
          const limit = Math.min(this.options.batchSize, this.options.concurrency - this.inFlight);
          const rateCaps = await destinationRateCaps(this.sql());
          const claimed = await claimDueDeliveries(this.sql(), { owner: this.id, limit, leaseMarginSeconds: this.options.leaseMarginSeconds, rateCaps });
          if (claimed.length === 0) break;
          await noteRateUse(this.sql(), claimed);
          for (const delivery of claimed) this.dispatch(delivery);
          if (claimed.length < limit) break;
        }
      } while (this.wakeAgain && !this.stopping);
    } catch (error) {
      logger.warn({ err: error }, 'claiming deliveries failed; will retry');
    } finally {
      this.claiming = false;
    }
  }

  private dispatch(delivery: ClaimedDelivery): void {
    this.inFlight++;
    void this.process(delivery).finally(() => {
      this.inFlight--;
      if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      this.wake();
    });
  }

  private async process(delivery: ClaimedDelivery): Promise<void> {
    try {
      const destination = await getDestinationConfig(delivery.destinationId);
      if (!destination || destination.status !== 'active') {
        // Paused or disabled after the claim: hand the row back untouched (no attempt made).
        await this.sql()`UPDATE deliveries SET status = ${destination?.status === 'paused' ? 'paused' : 'pending'}::"DeliveryStatus",
                         lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
                         WHERE id = ${delivery.id} AND lease_owner = ${this.id}`;
        return;
      }
      const outcome = await sendDelivery(
        { deliveryId: delivery.id, eventId: delivery.eventId, attempt: delivery.attemptCount + 1, headers: delivery.headers, body: delivery.body },
        destination,
      );
      this.queueResult({ delivery, destination, outcome });
    } catch (error) {
      // The lease will lapse and count as a (worker_lost) attempt: at least once, never lost.
      logger.error({ err: error, delivery: delivery.id }, 'processing a delivery failed');
    }
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
      .catch((error: unknown) => logger.error({ err: error, count: batch.length }, 'recording delivery results failed; their leases will lapse and they will be retried'))
      .then(() => this.wake());
    return this.recording;
  }

  /** Stop claiming, let in-flight sends finish within the grace period, record them, give the rest back. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.unlisten?.().catch(() => undefined);
    while (this.claiming) await new Promise((resolve) => setTimeout(resolve, 10));
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
  }

  /** For tests: resolves when nothing is in flight and all results are written. */
  async idle(): Promise<void> {
    while (this.inFlight > 0 || this.claiming || this.pendingResults.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.recording;
  }
}
