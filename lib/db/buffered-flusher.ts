/**
 * Collects items in memory and writes them in one batch at a fixed interval, off the request
 * path. Used for things that may lag a second behind (chart counters, rejected-request records,
 * "secret last matched" times), never for the events themselves.
 */
import { logDatabaseFailure } from '@/lib/db/database-outage';

export class BufferedFlusher<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxItems = 10_000,
  ) {}

  add(item: T): void {
    if (this.items.length >= this.maxItems) return;
    this.items.push(item);
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
    this.timer.unref?.();
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    const batch = this.items;
    if (batch.length === 0) return;
    this.items = [];
    this.flushing = this.write(batch)
      .catch((error: unknown) => logDatabaseFailure(error, 'buffered write failed', { flusher: this.name, dropped: batch.length }))
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
  }
}
