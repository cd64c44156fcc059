/**
 * Group commit for ingest. Each request hands its event (and its delivery rows) to the writer and
 * waits; the writer puts everything that arrived meanwhile into one multi-row statement, which
 * is its own transaction: the event rows and their deliveries commit together or not at all. A
 * request is answered only after the commit that holds its row.
 *
 * A lone request's batch goes at once; under load, events queue behind the batches in flight and
 * share the next commit (nextBatchSize), up to `maxConcurrent` batches at once. Nothing here takes
 * a lock that all requests share; concurrent copies of one provider event are settled by the
 * unique index on (source_id, dedup_key).
 */
import type { Sql } from '@/lib/db/sql';
import { insertIngestedDeliveries } from '@/lib/deliveries/lifecycle/create-deliveries';
import { isConnectionError } from '@/lib/db/sql';
import type { WakeCoalescer } from '@/lib/db/wake-workers';
import { noteDatabaseReachable } from '@/lib/db/database-outage';
import { logger } from '@/lib/log/logger';

/**
 * Text known to be exactly one valid JSON value: JSON.stringify's output, or text JSON.parse
 * accepted. The writer splices it into its batch document unchanged, so nothing else may pass.
 */
export type JsonText = string & { readonly __brand: 'JsonText' };

export interface EventRow {
  id: string;
  sourceId: string;
  receivedAt: Date;
  method: string;
  query: string | null;
  headers: JsonText;
  body: Buffer;
  /** The body when it is JSON (and jsonb can hold it), else null. */
  payload: JsonText | null;
  contentType: string | null;
  size: number;
  sourceIp: string | null;
  verification: 'verified' | 'unverified';
  matchedSecretId: string | null;
  dedupKey: string | null;
  eventType: string | null;
}

export interface DeliveryRow {
  id: string;
  destinationId: string;
  routeId: string;
  orderingKey: string | null;
}

export interface WriteResult {
  id: string;
  duplicate: boolean;
}

export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The database cannot commit right now', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

interface Pending {
  event: EventRow;
  deliveries: DeliveryRow[];
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

export interface EventWriterOptions {
  /** Most events in one batch. */
  maxBatch?: number;
  /** Most batches in flight at once (each on its own connection). */
  maxConcurrent?: number;
  /** Fewest queued events for which a batch starts while another is in flight (see nextBatchSize). */
  minBatchAlongside?: number;
  /**
   * Waking delivery workers after deliveries commit: the channel to NOTIFY from within a batch,
   * and which batches carry it (see WakeCoalescer).
   */
  wake?: { channel: string; coalescer: WakeCoalescer };
  /** Called after each commit with the number of new events it stored. */
  onStored?: (events: number) => void;
}

/** JSON string literal, or null. */
const str = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));

function eventsDocument(items: Pending[]): string {
  let doc = '[';
  for (let i = 0; i < items.length; i++) {
    const e = items[i]!.event;
    if (i > 0) doc += ',';
    doc +=
      `{"id":"${e.id}","source_id":"${e.sourceId}","received_at":"${e.receivedAt.toISOString()}","method":${str(e.method)},` +
      `"query":${str(e.query)},"headers":${e.headers},"body":"${e.body.toString('base64')}","payload":${e.payload ?? 'null'},` +
      `"content_type":${str(e.contentType)},"size":${e.size},"source_ip":${str(e.sourceIp)},"verification":"${e.verification}",` +
      `"matched_secret_id":${str(e.matchedSecretId)},"dedup_key":${str(e.dedupKey)},"event_type":${str(e.eventType)}}`;
  }
  return doc + ']';
}

function deliveriesDocument(items: Pending[]): string {
  const parts: string[] = [];
  for (const item of items) {
    for (const d of item.deliveries) {
      parts.push(
        `{"id":"${d.id}","event_id":"${item.event.id}","destination_id":"${d.destinationId}","route_id":"${d.routeId}",` +
          `"ordering_key":${str(d.orderingKey)}}`,
      );
    }
  }
  return `[${parts.join(',')}]`;
}

/**
 * How many of the queued events go into a new batch now, or 0 to wait. The first batch goes at
 * once: a lone request never waits. While one is in flight the others queue and share the next
 * commit, and another batch runs beside it only when `minBatchAlongside` events wait (a slow or
 * stuck batch). Measured under the bench's load: a statement costs Postgres ~0.6-0.9 ms of CPU
 * on top of ~0.2-0.3 ms per event, and batches in flight together contend for the same index
 * pages (UUIDv7 and time-ordered keys all insert at the right edge, the GIN pending list at its
 * tail): one batch at a time carried ~15.6 events in ~6 ms, two or three ~11 events in 8-10 ms.
 */
export function nextBatchSize(queued: number, inFlight: number, limits: { maxBatch: number; maxConcurrent: number; minBatchAlongside: number }): number {
  if (queued === 0 || inFlight >= limits.maxConcurrent) return 0;
  if (inFlight > 0 && queued < limits.minBatchAlongside) return 0;
  return Math.min(queued, limits.maxBatch);
}

export class EventWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private kickScheduled = false;
  private readonly limits: { maxBatch: number; maxConcurrent: number; minBatchAlongside: number };

  constructor(
    private readonly sql: () => Sql,
    private readonly options: EventWriterOptions = {},
  ) {
    this.limits = {
      maxBatch: options.maxBatch ?? 500,
      maxConcurrent: options.maxConcurrent ?? 4,
      minBatchAlongside: options.minBatchAlongside ?? 64,
    };
  }

  write(event: EventRow, deliveries: DeliveryRow[]): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, deliveries, resolve, reject });
      // Batches are formed after the current turn of the event loop, so that the requests that
      // arrived together (one read from many sockets) share one.
      if (this.kickScheduled) return;
      this.kickScheduled = true;
      setImmediate(() => {
        this.kickScheduled = false;
        this.kick();
      });
    });
  }

  /** Resolves when nothing is queued or in flight (for shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private kick(): void {
    for (
      let size = nextBatchSize(this.queue.length, this.inFlight, this.limits);
      size > 0;
      size = nextBatchSize(this.queue.length, this.inFlight, this.limits)
    ) {
      const batch = this.queue.splice(0, size);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.kick();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    // Copies of one provider event within the batch: the first is written, the rest follow it.
    const leaders: Pending[] = [];
    const followers = new Map<Pending, Pending[]>();
    const byKey = new Map<string, Pending>();
    for (const item of batch) {
      const key = item.event.dedupKey === null ? null : `${item.event.sourceId}\u0000${item.event.dedupKey}`;
      const leader = key ? byKey.get(key) : undefined;
      if (leader) {
        followers.get(leader)!.push(item);
        continue;
      }
      if (key) byKey.set(key, item);
      leaders.push(item);
      followers.set(item, []);
    }

    const wake = this.options.wake;
    // Every batch of new events may carry the wake-up: workers wait for deliveries, and the event
    // stream (lib/events/stream) for events, routed or not.
    const carry = wake !== undefined && leaders.length > 0 && wake.coalescer.carry();
    let results: Map<Pending, WriteResult>;
    let carried: boolean;
    try {
      ({ results, carried } = await this.insertWithFallback(leaders, carry ? wake.channel : null));
    } catch (error) {
      if (carry) wake.coalescer.carrierFailed();
      const failure = isConnectionError(error) ? new DatabaseUnavailableError(error) : error;
      if (!isConnectionError(error)) logger.error({ err: error, batch: batch.length }, 'event batch failed');
      for (const item of batch) item.reject(failure);
      return;
    }
    noteDatabaseReachable();
    let stored = 0;
    for (const leader of leaders) {
      const result = results.get(leader);
      if (!result) {
        leader.reject(new Error('event write produced no result'));
        for (const follower of followers.get(leader)!) follower.reject(new Error('event write produced no result'));
        continue;
      }
      if (!result.duplicate) stored++;
      leader.resolve(result);
      for (const follower of followers.get(leader)!) follower.resolve({ id: result.id, duplicate: true });
    }
    if (stored > 0) this.options.onStored?.(stored);
    if (carry && !carried) wake.coalescer.carrierFailed();
    else if (stored > 0 && !carried) wake?.coalescer.uncovered();
  }

  /** One statement for the batch; if a row's data is rejected, retry rows one by one so that one bad row cannot fail the others. */
  private async insertWithFallback(items: Pending[], wakeChannel: string | null): Promise<{ results: Map<Pending, WriteResult>; carried: boolean }> {
    try {
      return { results: await this.insertBatch(items, wakeChannel), carried: wakeChannel !== null };
    } catch (error) {
      if (isConnectionError(error) || items.length === 1) throw error;
      const code = (error as { code?: string }).code ?? '';
      if (!code.startsWith('22') && !code.startsWith('23')) throw error;
      const results = new Map<Pending, WriteResult>();
      for (const item of items) {
        try {
          const one = await this.insertBatch([item], null);
          results.set(item, one.get(item)!);
        } catch (itemError) {
          if (isConnectionError(itemError)) throw itemError;
          item.reject(itemError);
        }
      }
      return { results, carried: false };
    }
  }

  // The batch travels as two JSON documents (one row per element, read by jsonb_to_recordset):
  // V8 builds them natively and Postgres parses each once, where per-column text arrays cost
  // postgres.js an escaping pass over every value and the body twice its size as hex. The
  // payload and headers are spliced in as they are (both are JSON text already, see EventRow);
  // the body goes as base64. (`::text` first: a parameter Postgres types as jsonb, postgres.js
  // would serialise once more, as a JSON string.)
  // With a wake channel, the statement also NOTIFYs it (once, even when every row was a duplicate).
  private async insertBatch(items: Pending[], wakeChannel: string | null): Promise<Map<Pending, WriteResult>> {
    const sql = this.sql();
    const inserted = await sql<{ id: string }[]>`
      WITH ins AS (
        INSERT INTO events (id, source_id, received_at, method, query, headers, body, payload, content_type, size, source_ip,
                            verification, matched_secret_id, dedup_key, event_type)
        SELECT id, source_id, received_at, method, query, headers, decode(body, 'base64'), payload, content_type, size, source_ip,
               verification::"VerificationStatus", matched_secret_id, dedup_key, event_type
        FROM jsonb_to_recordset(${eventsDocument(items)}::text::jsonb) AS t(
          id uuid, source_id uuid, received_at timestamptz, method text, query text, headers jsonb, body text, payload jsonb,
          content_type text, size int, source_ip text, verification text, matched_secret_id uuid, dedup_key text, event_type text)
        ON CONFLICT (source_id, dedup_key) DO NOTHING
        RETURNING id, source_id, received_at
      ), deliveries_in AS (${insertIngestedDeliveries(sql, deliveriesDocument(items))}
      )
      ${wakeChannel === null ? sql`SELECT id FROM ins` : sql`SELECT ins.id FROM (SELECT pg_notify(${wakeChannel}, '')) AS wake LEFT JOIN ins ON true`}`;
    const insertedIds = new Set(inserted.map((row) => row.id)); // may hold null: the wake-up's row when nothing was new
    const results = new Map<Pending, WriteResult>();
    const duplicates: Pending[] = [];
    for (const item of items) {
      if (insertedIds.has(item.event.id)) results.set(item, { id: item.event.id, duplicate: false });
      else duplicates.push(item);
    }
    if (duplicates.length > 0) {
      const existing = await sql<{ id: string; source_id: string; dedup_key: string }[]>`
        SELECT e.id, e.source_id, e.dedup_key FROM events e
        JOIN unnest(${duplicates.map((d) => d.event.sourceId)}::uuid[], ${duplicates.map((d) => d.event.dedupKey)}::text[]) AS k(source_id, dedup_key)
          ON e.source_id = k.source_id AND e.dedup_key = k.dedup_key`;
      const byKey = new Map(existing.map((row) => [`${row.source_id}\u0000${row.dedup_key}`, row.id]));
      for (const item of duplicates) {
        const id = byKey.get(`${item.event.sourceId}\u0000${item.event.dedupKey}`);
        // The first copy was removed in between (retention): nothing to point at, so retry as new.
        if (id) results.set(item, { id, duplicate: true });
        else throw Object.assign(new Error('a duplicate vanished before it could be read'), { code: '40001' });
      }
    }
    return results;
  }
}
