/**
 * Per-source, per-minute counters for the charts. Counted in memory and upserted once a second
 * (one row per source and minute), so the commit of an event never waits on a counter row lock.
 * A crash loses at most a second of chart counts, never an event.
 */
import { sql } from '@/lib/db/sql';
import { BufferedFlusher } from '@/lib/db/buffered-flusher';

export type IngestOutcome = 'accepted' | 'rejected' | 'duplicate';

interface Count {
  sourceId: string;
  minute: number;
  outcome: IngestOutcome;
}

async function writeCounts(items: Count[]): Promise<void> {
  const rows = new Map<string, { sourceId: string; minute: number; accepted: number; rejected: number; duplicates: number }>();
  for (const item of items) {
    const key = `${item.sourceId}|${item.minute}`;
    const row = rows.get(key) ?? { sourceId: item.sourceId, minute: item.minute, accepted: 0, rejected: 0, duplicates: 0 };
    if (item.outcome === 'accepted') row.accepted++;
    else if (item.outcome === 'rejected') row.rejected++;
    else row.duplicates++;
    rows.set(key, row);
  }
  const list = [...rows.values()].sort((a, b) => (a.sourceId + a.minute < b.sourceId + b.minute ? -1 : 1));
  await sql()`
    INSERT INTO source_minute_stats (source_id, minute, received, accepted, rejected, duplicates)
    SELECT s, to_timestamp(m / 1000.0), a + r + d, a, r, d
    FROM unnest(${list.map((r) => r.sourceId)}::uuid[], ${list.map((r) => r.minute)}::bigint[],
                ${list.map((r) => r.accepted)}::int[], ${list.map((r) => r.rejected)}::int[], ${list.map((r) => r.duplicates)}::int[])
      AS t(s, m, a, r, d)
    ON CONFLICT (source_id, minute) DO UPDATE SET
      received = source_minute_stats.received + excluded.received,
      accepted = source_minute_stats.accepted + excluded.accepted,
      rejected = source_minute_stats.rejected + excluded.rejected,
      duplicates = source_minute_stats.duplicates + excluded.duplicates`;
}

const globalStats = globalThis as unknown as { hookyardIngestStats?: BufferedFlusher<Count> };

function flusher(): BufferedFlusher<Count> {
  globalStats.hookyardIngestStats ??= new BufferedFlusher('ingest-stats', 1000, writeCounts, 200_000);
  return globalStats.hookyardIngestStats;
}

export function countIngest(sourceId: string, outcome: IngestOutcome, at = Date.now()): void {
  flusher().add({ sourceId, minute: Math.floor(at / 60_000) * 60_000, outcome });
}

export function flushIngestStats(): Promise<void> {
  return flusher().flush();
}
