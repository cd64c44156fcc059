/**
 * Where the event stream is: a position in the order in which event writes committed.
 *
 * Event ids and arrival times do not give that order: two ingest batches commit in either order,
 * so "everything after the last id I saw" would miss an event of a batch that committed late with
 * an earlier id. Each event therefore records the transaction that stored it (`stream_txid`, the
 * column default `pg_current_xact_id()`), and the stream walks `(stream_txid, id)` up to the
 * snapshot's xmin only: every transaction below xmin has ended, so no event can appear there any
 * more, and a position below it is final. Events of transactions at or above xmin wait (`held`)
 * until the transactions before them end — usually a few milliseconds.
 */
import type postgres from 'postgres';
import { andAll, type Sql } from '@/lib/db/sql';

export interface StreamPosition {
  txid: bigint;
  id: string;
}

/** One event in the stream's order. */
export type StreamKey = StreamPosition;

const LAST_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

const after = (sql: Sql, position: StreamPosition) => sql`(e.stream_txid, e.id) > (${position.txid.toString()}::bigint, ${position.id}::uuid)`;

/** Everything final now is behind this position: a stream that starts here sends only what commits from now on. */
export async function currentHorizon(sql: Sql): Promise<StreamPosition> {
  const [row] = await sql<{ xmin: string }[]>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`;
  return { txid: BigInt(row!.xmin) - 1n, id: LAST_UUID };
}

/**
 * The position right after an event, for a client resuming with its id; null when there is no
 * such event (never stored, or deleted by retention since). An event stored before the stream
 * existed has no txid and sorts before every event that has one.
 */
export async function positionOfEvent(sql: Sql, eventId: string): Promise<StreamPosition | null> {
  const [row] = await sql<{ txid: string | null }[]>`SELECT stream_txid::text AS txid FROM events WHERE id = ${eventId}::uuid`;
  if (!row) return null;
  return { txid: row.txid === null ? -1n : BigInt(row.txid), id: eventId };
}

/**
 * The next events after `position` whose order is final, oldest first, and whether more are
 * committed but held back behind a transaction still running (then ask again shortly).
 */
export async function finalEventsAfter(sql: Sql, position: StreamPosition, limit: number): Promise<{ keys: StreamKey[]; held: boolean }> {
  const rows = await sql<{ id: string; txid: string; held: boolean }[]>`
    WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin)
    SELECT e.id, e.stream_txid::text AS txid, e.stream_txid >= horizon.xmin AS held
    FROM events e, horizon
    WHERE ${after(sql, position)}
    ORDER BY e.stream_txid, e.id
    LIMIT ${limit}`;
  const keys: StreamKey[] = [];
  for (const row of rows) {
    if (row.held) return { keys, held: true };
    keys.push({ txid: BigInt(row.txid), id: row.id });
  }
  return { keys, held: false };
}

/** Events in (after, upTo] that also satisfy `conditions` (on `e`), oldest first: a resuming client's catch-up. */
export async function eventsBetween(
  sql: Sql,
  range: { after: StreamPosition; upTo: StreamPosition },
  conditions: postgres.Fragment[],
  limit: number,
): Promise<StreamKey[]> {
  const { upTo } = range;
  const rows = await sql<{ id: string; txid: string }[]>`
    SELECT e.id, e.stream_txid::text AS txid FROM events e
    WHERE ${after(sql, range.after)} AND (e.stream_txid, e.id) <= (${upTo.txid.toString()}::bigint, ${upTo.id}::uuid)
      AND ${andAll(sql, conditions)}
    ORDER BY e.stream_txid, e.id
    LIMIT ${limit}`;
  return rows.map((row) => ({ txid: BigInt(row.txid), id: row.id }));
}

export const comparePositions = (a: StreamPosition, b: StreamPosition): number =>
  a.txid === b.txid ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.txid < b.txid ? -1 : 1;
