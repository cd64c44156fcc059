/**
 * Waking idle delivery workers when new deliveries commit: a NOTIFY on `hookyard_deliveries`.
 * Workers also poll, so a lost notification only delays a delivery, never loses it.
 *
 * Ingest sends its wake-ups inside its batch statements (WakeCoalescer below), so they cost no
 * commit of their own. Everything else that creates deliveries now and then (replays, test
 * events) calls wakeWorkers(), which sends one NOTIFY on its own, coalesced per process.
 */
import { logger } from '@/lib/log/logger';
import { DELIVERIES_CHANNEL } from './channels';
import { sql } from './sql';

const COALESCE_MS = 2;

let scheduled = false;

export function wakeWorkers(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    sql()`SELECT pg_notify(${DELIVERIES_CHANNEL}, '')`.catch((error: unknown) => logger.debug({ err: error }, 'wake-up NOTIFY failed'));
  }, COALESCE_MS).unref?.();
}

/**
 * Decides which of the event writer's batches carry the wake-up NOTIFY. A NOTIFY inside a
 * transaction takes Postgres' global notify lock from its commit until it ends, so if every
 * batch carried one, concurrent batches would commit one at a time; and a NOTIFY sent on its own
 * is a commit (with a WAL flush) of its own: measured at ~190 a second under load, a quarter of
 * all commits. So at most one batch per window carries it, and batches sent in between do
 * without: a worker that wakes for the carrier sees everything committed before the carrier, and
 * the next window's carrier covers the rest. Only when no carrier follows (the end of a burst)
 * does a NOTIFY go out on its own, one window after the last uncovered commit.
 */
export class WakeCoalescer {
  private lastCarrierSentAt = -Infinity;
  private lastUncoveredAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly sendOnItsOwn: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Called as a batch that creates deliveries is sent: whether it should carry the NOTIFY. */
  carry(): boolean {
    const now = this.now();
    if (now - this.lastCarrierSentAt < this.windowMs) return false;
    this.lastCarrierSentAt = now;
    return true;
  }

  /** Deliveries committed without a NOTIFY (or their carrier failed): make sure one follows. */
  uncovered(): void {
    this.lastUncoveredAt = this.now();
    this.timer ??= setTimeout(() => this.check(), this.windowMs);
    this.timer.unref?.();
  }

  /** A carrier failed to commit: whatever it was to cover needs another NOTIFY. */
  carrierFailed(): void {
    this.lastCarrierSentAt = -Infinity;
    this.uncovered();
  }

  private check(): void {
    this.timer = undefined;
    // A carrier sent after the last uncovered commit will commit after it, and cover it.
    if (this.lastCarrierSentAt > this.lastUncoveredAt) return;
    this.sendOnItsOwn();
  }
}
