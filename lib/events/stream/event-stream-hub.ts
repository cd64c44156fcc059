/**
 * One per process: the event stream's single reader of new events, fanned out to every open
 * stream of the process. However many clients are connected, the database sees one LISTEN (on the
 * connection postgres.js already keeps for LISTEN), one query per wake-up for the ids of the new
 * events, one for their list items, and a look every HOOKYARD_STREAM_POLL_MS in case a NOTIFY was
 * lost. Nothing at all while no client is connected.
 *
 * The hub's `head` is the stream position up to which it has handed events to its clients. A
 * client joins at the head (join() returns it); everything after it reaches the client as batches,
 * in order. A client that resumes from an older position reads the gap up to that head from the
 * database itself (open-event-stream.ts), holding the hub's batches back meanwhile, so that it gets
 * every event once.
 */
import { tunables } from '@/lib/config/settings';
import { DELIVERIES_CHANNEL } from '@/lib/db/channels';
import { logDatabaseFailure } from '@/lib/db/database-outage';
import { type Sql, sql as defaultSql } from '@/lib/db/sql';
import { type EventListRow, eventListItems } from '@/lib/events/list-events';
import { type StreamKey, type StreamPosition, currentHorizon, finalEventsAfter } from './stream-position';

/** Most events read per query. */
const BATCH = 500;
/** After events were held back behind a running transaction: look again this soon, backing off to the cap. */
const HELD_RETRY_MS = { first: 20, cap: 1_000 };
/** After a failed read (the database is away): look again in this long. */
const FAILED_RETRY_MS = 1_000;

/** New events in stream order, with their list items (an event deleted meanwhile has none). */
export interface StreamBatch {
  keys: StreamKey[];
  items: Map<string, EventListRow>;
  /** Shared by the clients of one filter: which of the batch's ids match it (stream-filter.ts). */
  matches: Map<string, Promise<Set<string>>>;
}

export interface StreamClient {
  /** Called in order, synchronously; the client queues what it cannot write at once. */
  deliver(batch: StreamBatch): void;
  keepAlive(): void;
  /** Ends the client's stream, with a last comment. */
  close(lastWords?: string): void;
}

export class EventStreamHub {
  private head: StreamPosition | null = null;
  private starting: Promise<void> | null = null;
  private readonly clients = new Set<StreamClient>();
  private reading = false;
  private readAgain = false;
  private heldDelay = HELD_RETRY_MS.first;
  private retryTimer: NodeJS.Timeout | undefined;
  private timers: NodeJS.Timeout[] = [];
  private unlisten: (() => Promise<void>) | undefined;
  /** Queries sent since the process started: what tests and the bench read to bound the database load. */
  queries = 0;

  constructor(
    private readonly sql: () => Sql = defaultSql,
    private readonly settings = tunables().stream,
  ) {}

  get clientCount(): number {
    return this.clients.size;
  }

  /** Adds a client; it receives every batch after the returned position. */
  async join(client: StreamClient): Promise<StreamPosition> {
    while (this.head === null) {
      this.starting ??= this.start().finally(() => (this.starting = null));
      await this.starting;
    }
    // Taken and added in one synchronous step: every batch handed out from now on lies after it.
    this.clients.add(client);
    return this.head;
  }

  leave(client: StreamClient): void {
    if (!this.clients.delete(client) || this.clients.size > 0) return;
    // Nobody is listening: stop reading, and start again from the horizon for the next client.
    this.head = null;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    void unlisten?.().catch(() => undefined);
  }

  /** The process is stopping: end every stream now (clients reconnect, with Last-Event-ID, to a process that serves). */
  closeAll(): void {
    for (const client of [...this.clients]) client.close(': the server is stopping; reconnect with Last-Event-ID\n\n');
  }

  private async start(): Promise<void> {
    const listener = await this.sql()
      .listen(
        DELIVERIES_CHANNEL,
        () => this.wake(),
        () => this.wake(), // (re)connected: anything may have committed meanwhile
      )
      .catch((error: unknown) => {
        logDatabaseFailure(error, 'event stream cannot LISTEN for new events; polling only');
        return undefined;
      });
    this.queries++;
    let head: StreamPosition;
    try {
      head = await currentHorizon(this.sql());
    } catch (error) {
      await listener?.unlisten().catch(() => undefined); // the next join starts over
      throw error;
    }
    this.unlisten = listener ? () => listener.unlisten() : undefined;
    this.timers.push(setInterval(() => this.wake(), this.settings.pollMs));
    this.timers.push(setInterval(() => this.clients.forEach((client) => client.keepAlive()), this.settings.keepAliveMs));
    this.head = head;
  }

  /** New events may have committed: read them (once at a time; a wake-up during a read reads again after it). */
  wake(): void {
    if (this.head === null) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    void this.read();
  }

  private async read(): Promise<void> {
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const head = this.head;
        if (head === null) break;
        this.queries++;
        const { keys, held } = await finalEventsAfter(this.sql(), head, BATCH);
        if (held) this.retryLater(this.heldDelay, () => (this.heldDelay = Math.min(this.heldDelay * 2, HELD_RETRY_MS.cap)));
        else this.heldDelay = HELD_RETRY_MS.first;
        if (keys.length === 0) continue;
        this.queries++;
        const items = new Map(
          (
            await eventListItems(
              this.sql(),
              keys.map((key) => key.id),
            )
          ).map((item) => [item.id, item]),
        );
        if (this.head !== head) break; // everybody left meanwhile
        this.head = keys[keys.length - 1]!;
        const batch: StreamBatch = { keys, items, matches: new Map() };
        for (const client of this.clients) client.deliver(batch);
        if (keys.length === BATCH) this.readAgain = true;
      } while (this.readAgain);
    } catch (error) {
      logDatabaseFailure(error, 'event stream read failed');
      this.retryLater(FAILED_RETRY_MS);
    } finally {
      this.reading = false;
    }
  }

  private retryLater(ms: number, then?: () => void): void {
    if (this.retryTimer) return;
    then?.();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.wake();
    }, ms);
    this.retryTimer.unref?.();
  }
}

const globalForHub = globalThis as unknown as { hookyardEventStreamHub?: EventStreamHub };

/** This process's hub. */
export function eventStreamHub(): EventStreamHub {
  globalForHub.hookyardEventStreamHub ??= new EventStreamHub();
  return globalForHub.hookyardEventStreamHub;
}
