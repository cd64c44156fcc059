/**
 * Group commit for ingest. Each request hands its event (and its delivery rows) to the writer and
 * waits; the writer puts everything that arrived meanwhile into one multi-row statement, which
 * is its own transaction: the event rows and their deliveries commit together or not at all. A
 * request is answered only after the commit that holds its row.
 *
 * Up to `maxConcurrent` batches are in flight at once (each on its own connection), so a lone
 * request commits at once, and under load each commit carries many requests. Nothing here takes
 * a lock that all requests share; concurrent copies of one provider event are settled by the
 * unique index on (source_id, dedup_key).
 */
import type { Sql } from '@/lib/db/sql';
import { isConnectionError } from '@/lib/db/sql';
import { logger } from '@/lib/log/logger';

export interface EventRow {
  id: string;
  sourceId: string;
  receivedAt: Date;
  method: string;
  query: string | null;
  headers: string; // JSON text
  body: Buffer;
  payload: string | null; // JSON text, or null when the body is not JSON
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
  status: 'pending' | 'paused';
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
  maxBatch?: number;
  maxConcurrent?: number;
  /** Called after each commit that created deliveries (used to wake workers). */
  onCommitted?: (deliveries: number) => void;
}

export class EventWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxConcurrent: number;

  constructor(
    private readonly sql: () => Sql,
    private readonly options: EventWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxConcurrent = options.maxConcurrent ?? 4;
  }

  write(event: EventRow, deliveries: DeliveryRow[]): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, deliveries, resolve, reject });
      this.kick();
    });
  }

  /** Resolves when nothing is queued or in flight (for shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private kick(): void {
    while (this.inFlight < this.maxConcurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
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

    let results: Map<Pending, WriteResult>;
    try {
      results = await this.insertWithFallback(leaders);
    } catch (error) {
      const failure = isConnectionError(error) ? new DatabaseUnavailableError(error) : error;
      if (!isConnectionError(error)) logger.error({ err: error, batch: batch.length }, 'event batch failed');
      for (const item of batch) item.reject(failure);
      return;
    }
    let created = 0;
    for (const leader of leaders) {
      const result = results.get(leader);
      if (!result) {
        leader.reject(new Error('event write produced no result'));
        for (const follower of followers.get(leader)!) follower.reject(new Error('event write produced no result'));
        continue;
      }
      if (!result.duplicate) created += leader.deliveries.length;
      leader.resolve(result);
      for (const follower of followers.get(leader)!) follower.resolve({ id: result.id, duplicate: true });
    }
    if (created > 0) this.options.onCommitted?.(created);
  }

  /** One statement for the batch; if a row's data is rejected, retry rows one by one so that one bad row cannot fail the others. */
  private async insertWithFallback(items: Pending[]): Promise<Map<Pending, WriteResult>> {
    try {
      return await this.insertBatch(items);
    } catch (error) {
      if (isConnectionError(error) || items.length === 1) throw error;
      const code = (error as { code?: string }).code ?? '';
      if (!code.startsWith('22') && !code.startsWith('23')) throw error;
      const results = new Map<Pending, WriteResult>();
      for (const item of items) {
        try {
          const one = await this.insertBatch([item]);
          results.set(item, one.get(item)!);
        } catch (itemError) {
          if (isConnectionError(itemError)) throw itemError;
          item.reject(itemError);
        }
      }
      return results;
    }
  }

  // postgres.js cannot send bytea[] or timestamptz[] parameters, so bodies travel as hex text
  // and times as ISO text; Postgres converts them in the same statement.
  private async insertBatch(items: Pending[]): Promise<Map<Pending, WriteResult>> {
    const sql = this.sql();
    const events = items.map((item) => item.event);
    const deliveries = items.flatMap((item) => item.deliveries.map((delivery) => ({ ...delivery, event: item.event })));
    const inserted = await sql<{ id: string }[]>`
      WITH input AS (
        SELECT * FROM unnest(
          ${events.map((e) => e.id)}::uuid[], ${events.map((e) => e.sourceId)}::uuid[], ${events.map((e) => e.receivedAt.toISOString())}::timestamptz[],
          ${events.map((e) => e.method)}::text[], ${events.map((e) => e.query)}::text[], ${events.map((e) => e.headers)}::text[],
          ${events.map((e) => e.body.toString('hex'))}::text[], ${events.map((e) => e.payload)}::text[], ${events.map((e) => e.contentType)}::text[],
          ${events.map((e) => e.size)}::int[], ${events.map((e) => e.sourceIp)}::text[], ${events.map((e) => e.verification)}::text[],
          ${events.map((e) => e.matchedSecretId)}::uuid[], ${events.map((e) => e.dedupKey)}::text[], ${events.map((e) => e.eventType)}::text[]
        ) AS t(id, source_id, received_at, method, query, headers, body, payload, content_type, size, source_ip, verification,
               matched_secret_id, dedup_key, event_type)
      ), ins AS (
        INSERT INTO events (id, source_id, received_at, method, query, headers, body, payload, content_type, size, source_ip,
                            verification, matched_secret_id, dedup_key, event_type)
        SELECT id, source_id, received_at, method, query, headers::jsonb, decode(body, 'hex'), payload::jsonb, content_type, size, source_ip,
               verification::"VerificationStatus", matched_secret_id, dedup_key, event_type
        FROM input
        ON CONFLICT (source_id, dedup_key) DO NOTHING
        RETURNING id
      ), deliveries_in AS (
        INSERT INTO deliveries (id, event_id, source_id, destination_id, route_id, status, next_attempt_at, ordering_key, created_at, updated_at)
        SELECT d.id, d.event_id, d.source_id, d.destination_id, d.route_id, d.status::"DeliveryStatus", d.created_at, d.ordering_key,
               d.created_at, d.created_at
        FROM unnest(
          ${deliveries.map((d) => d.id)}::uuid[], ${deliveries.map((d) => d.event.id)}::uuid[], ${deliveries.map((d) => d.event.sourceId)}::uuid[],
          ${deliveries.map((d) => d.destinationId)}::uuid[], ${deliveries.map((d) => d.routeId)}::uuid[], ${deliveries.map((d) => d.status)}::text[],
          ${deliveries.map((d) => d.orderingKey)}::text[], ${deliveries.map((d) => d.event.receivedAt.toISOString())}::timestamptz[]
        ) AS d(id, event_id, source_id, destination_id, route_id, status, ordering_key, created_at)
        WHERE d.event_id IN (SELECT id FROM ins)
      )
      SELECT id FROM ins`;
    const insertedIds = new Set(inserted.map((row) => row.id));
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
