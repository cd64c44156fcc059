/**
 * One client's event stream (GET /api/v1/events/stream): a text/event-stream of the events
 * accepted from now on, or, with Last-Event-ID, from right after that event. docs/event-stream.md.
 *
 * A message is `id: <event id>`, `event: event` and `data: <the events list item as JSON>`. The
 * client joins the process's hub (event-stream-hub.ts) at its head; when it resumes from an older
 * event, it first reads the events between there and that head from the database (filtered there,
 * in stream order), holding the hub's batches meanwhile, then sends those. Each message's position
 * is remembered, so nothing is sent twice even when the hub's head is behind the client's event.
 */
import { type Sql, sql as defaultSql } from '@/lib/db/sql';
import { isUuid } from '@/lib/db/ids';
import { eventListItems, type EventListRow } from '@/lib/events/list-events';
import { AppError } from '@/lib/http/errors';
import type { ListFilter } from '@/lib/list-filters/list-filter.schema';
import { logDatabaseFailure } from '@/lib/db/database-outage';
import { type EventStreamHub, eventStreamHub, type StreamBatch, type StreamClient } from './event-stream-hub';
import { filterConditions, filterKey, matchesItem, matchingIds, needsQuery } from './stream-filter';
import { comparePositions, eventsBetween, positionOfEvent, type StreamKey, type StreamPosition } from './stream-position';

/** Events read per catch-up query. */
const CATCH_UP_PAGE = 200;
/** A client this far behind (bytes not yet taken by its connection) is cut off; it reconnects and catches up from the database. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** What EventSource waits before it reconnects (ms). */
const RETRY_MS = 2_000;

const encoder = new TextEncoder();

export const eventMessage = (item: EventListRow): string => `id: ${item.id}\nevent: event\ndata: ${JSON.stringify(item)}\n\n`;

class EventStreamClient implements StreamClient {
  readonly readable: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private readonly queue: StreamBatch[] = [];
  private catchingUp = true;
  private pumping = false;
  private closed = false;
  private readonly key: string;

  constructor(
    private readonly hub: EventStreamHub,
    private readonly sql: Sql,
    private readonly filter: ListFilter,
    /** The last position sent (or the client's own, when it resumes). */
    private sentUpTo: StreamPosition | null,
  ) {
    this.key = filterKey(filter);
    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        cancel: () => this.close(),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
    );
  }

  deliver(batch: StreamBatch): void {
    if (this.closed) return;
    this.queue.push(batch);
    void this.pump();
  }

  keepAlive(): void {
    this.write(': keep-alive\n\n');
  }

  write(text: string): void {
    if (this.closed) return;
    if ((this.controller.desiredSize ?? 0) < -MAX_BUFFERED_BYTES) {
      this.close(': this client fell too far behind; reconnect with Last-Event-ID to catch up\n\n');
      return;
    }
    try {
      this.controller.enqueue(encoder.encode(text));
    } catch {
      this.close();
    }
  }

  close(lastWords?: string): void {
    if (this.closed) return;
    if (lastWords) {
      try {
        this.controller.enqueue(encoder.encode(lastWords));
      } catch {
        // the connection is gone already
      }
    }
    this.closed = true;
    this.queue.length = 0;
    this.hub.leave(this);
    try {
      this.controller.close();
    } catch {
      // already closed or cancelled by the reader
    }
  }

  /** Sends what lies in (from, upTo] from the database, then the hub's batches held meanwhile. */
  async catchUp(from: StreamPosition | null, upTo: StreamPosition): Promise<void> {
    try {
      let after = from;
      while (after && comparePositions(after, upTo) < 0 && !this.closed) {
        const keys = await eventsBetween(this.sql, { after, upTo }, filterConditions(this.sql, this.filter), CATCH_UP_PAGE);
        if (keys.length === 0) break;
        const items = new Map(
          (
            await eventListItems(
              this.sql,
              keys.map((key) => key.id),
            )
          ).map((item) => [item.id, item]),
        );
        this.send(keys, items, null);
        after = keys[keys.length - 1]!;
        if (keys.length < CATCH_UP_PAGE) break;
      }
    } catch (error) {
      logDatabaseFailure(error, 'event stream catch-up failed');
      this.close(': the stream was interrupted; reconnect with Last-Event-ID to resume\n\n');
      return;
    }
    this.catchingUp = false;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.catchingUp) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const batch = this.queue.shift()!;
        const candidates = batch.keys.filter((key) => {
          const item = batch.items.get(key.id);
          return item !== undefined && matchesItem(this.filter, item);
        });
        let matching: Set<string> | null = null;
        if (needsQuery(this.filter) && candidates.length > 0) {
          let shared = batch.matches.get(this.key);
          if (!shared) {
            shared = matchingIds(
              this.sql,
              this.filter,
              candidates.map((key) => key.id),
            );
            batch.matches.set(this.key, shared);
          }
          matching = await shared;
        }
        this.send(candidates, batch.items, matching);
      }
    } catch (error) {
      logDatabaseFailure(error, 'event stream filter failed');
      this.close(': the stream was interrupted; reconnect with Last-Event-ID to resume\n\n');
    } finally {
      this.pumping = false;
    }
  }

  /** Writes the events of `keys` (in order) that were not sent yet; `matching` null means all of them match. */
  private send(keys: StreamKey[], items: Map<string, EventListRow>, matching: Set<string> | null): void {
    for (const key of keys) {
      if (this.sentUpTo && comparePositions(key, this.sentUpTo) <= 0) continue;
      this.sentUpTo = key;
      const item = items.get(key.id);
      if (item && (matching === null || matching.has(key.id))) this.write(eventMessage(item));
    }
  }
}

export interface OpenEventStreamOptions {
  filter: ListFilter;
  /** The Last-Event-ID header, as sent. */
  lastEventId: string | null;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
  hub?: EventStreamHub;
  sql?: Sql;
}

export async function openEventStream(options: OpenEventStreamOptions): Promise<Response> {
  const sql = options.sql ?? defaultSql();
  const hub = options.hub ?? eventStreamHub();
  const lastEventId = options.lastEventId?.trim() || null;
  if (lastEventId !== null && !isUuid(lastEventId)) {
    throw new AppError('invalid_input', 'Last-Event-ID: not an event id (send the id: of the last message received)', [
      { path: 'Last-Event-ID', message: 'not an event id' },
    ]);
  }
  const resumeFrom = lastEventId ? await positionOfEvent(sql, lastEventId) : null;
  if (lastEventId && !resumeFrom) {
    throw new AppError(
      'not_found',
      `No event ${lastEventId} to resume after: it was never stored here, or retention has deleted it. Reconnect without Last-Event-ID to follow from now.`,
    );
  }

  const client = new EventStreamClient(hub, sql, options.filter, resumeFrom);
  const joinedAt = await hub.join(client);
  if (options.signal?.aborted) client.close();
  options.signal?.addEventListener('abort', () => client.close(), { once: true });
  client.write(`retry: ${RETRY_MS}\n: connected\n\n`);
  void client.catchUp(resumeFrom, joinedAt);

  return new Response(client.readable, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // Proxies such as nginx must pass each message on at once.
      'x-accel-buffering': 'no',
    },
  });
}
