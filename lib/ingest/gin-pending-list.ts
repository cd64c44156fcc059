/**
 * Keeps the payload index's pending list short, off the ingest path.
 *
 * The GIN index on events.payload (payload search) takes new entries into a pending list, and the
 * insert that finds the list over `gin_pending_list_limit` (4 MB, ~3,000 events) merges it into
 * the index there and then: measured as stalls of 300–500 ms for that batch and every request
 * queued behind it. Merging it from here instead, on a connection of its own once enough events
 * were written, does the same work without holding up a commit; an insert that arrives during
 * the merge appends to the list and does not wait.
 */
import { isConnectionError, type Sql } from '@/lib/db/sql';
import { logger } from '@/lib/log/logger';

export const PAYLOAD_INDEX = 'events_payload_idx';

export class GinPendingListCleaner {
  private written = 0;
  private running = false;
  private disabled = false;

  constructor(
    private readonly sql: () => Sql,
    /** Events written between merges: well under what fills the 4 MB list. */
    private readonly everyEvents = 1000,
  ) {}

  /** Called after each commit with the number of events it wrote. */
  noteWritten(events: number): void {
    this.written += events;
    if (this.written < this.everyEvents || this.running || this.disabled) return;
    this.written = 0;
    this.running = true;
    this.clean()
      .catch((error: unknown) => {
        // The database away for a moment: try again after the next 1,000 events.
        if (isConnectionError(error)) return;
        // Not the index's owner, or a read-only replica: inserts merge the list themselves, as Postgres does by default.
        this.disabled = true;
        logger.warn({ err: error }, 'cannot merge the payload index pending list; leaving it to Postgres');
      })
      .finally(() => {
        this.running = false;
      });
  }

  /** Merges the pending list now; resolves to the number of pending-list pages it emptied. */
  async clean(): Promise<number> {
    const [row] = await this.sql()<{ pages: number }[]>`SELECT gin_clean_pending_list(${PAYLOAD_INDEX}::regclass)::int AS pages`;
    return row?.pages ?? 0;
  }
}
