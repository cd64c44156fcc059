/**
 * Whether a watched source has gone silent: it has `expectedEvery` set and accepted no event for
 * that long. Shared by the `source_silent` rule and the sources pages, so the badge and the alert
 * say the same thing.
 *
 * The last accepted event is the newest row of `events` for the source (accepted requests are
 * the rows there; rejections and duplicates are not), one probe of the index
 * `events (source_id, received_at DESC, id DESC)` per watched source. A source that has received
 * nothing since watching began counts from then: from when `expectedEvery` was first set, or from
 * the source's creation when it was created with it.
 */
import type postgres from 'postgres';
import type { Sql } from '@/lib/db/sql';
import { effectiveSourceAlertSettings, expectedEverySince } from '../alert-settings';

export interface SourceSilence {
  /** Seconds. */
  expectedEvery: number;
  /** When watching began. */
  watchingSince: Date;
  lastEventAt: Date | null;
  /** Silent: no accepted event for `expectedEvery` seconds. */
  silent: boolean;
  /** When it went quiet (its last accepted event, else when watching began); set only while silent. */
  silentSince: Date | null;
}

export interface WatchableSource {
  status: string;
  alertSettings: unknown;
  createdAt: Date;
}

/** The source's silence state, or null when it is not watched (no expectedEvery, or disabled: it answers 404, so quiet is expected). */
export function silenceOf(source: WatchableSource, lastEventAt: Date | null, now: Date): SourceSilence | null {
  const { expectedEvery } = effectiveSourceAlertSettings(source.alertSettings);
  if (expectedEvery === null || source.status !== 'active') return null;
  const watchingSince = expectedEverySince(source.alertSettings) ?? source.createdAt;
  const reference = lastEventAt && lastEventAt > watchingSince ? lastEventAt : watchingSince;
  const silent = now.getTime() - reference.getTime() >= expectedEvery * 1000;
  return { expectedEvery, watchingSince, lastEventAt, silent, silentSince: silent ? (lastEventAt ?? watchingSince) : null };
}

/** The time of each source's newest accepted event (sources with none are absent). */
export async function lastAcceptedEventTimes(sql: Sql | postgres.TransactionSql, sourceIds: string[]): Promise<Map<string, Date>> {
  if (sourceIds.length === 0) return new Map();
  const rows = await sql<{ id: string; last: Date | null }[]>`
    SELECT t.id::text AS id, (SELECT e.received_at FROM events e WHERE e.source_id = t.id ORDER BY e.received_at DESC LIMIT 1) AS last
    FROM unnest(${sourceIds}::uuid[]) AS t(id)`;
  return new Map(rows.filter((row) => row.last !== null).map((row) => [row.id, row.last!]));
}
