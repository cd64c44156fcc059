/** The process-wide group-commit writer used by both ingest entry points. */
import { sql } from '@/lib/db/sql';
import { EventWriter } from './event-writer';
import { GinPendingListCleaner } from './gin-pending-list';
import { DELIVERIES_CHANNEL, WakeCoalescer, wakeWorkers } from './wake-workers';

const globalWriter = globalThis as unknown as { hookyardEventWriter?: EventWriter };

function createIngestWriter(): EventWriter {
  const cleaner = new GinPendingListCleaner(sql, Number(process.env.HOOKYARD_INGEST_GIN_CLEAN_EVERY ?? 1000));
  return new EventWriter(sql, {
    maxBatch: Number(process.env.HOOKYARD_INGEST_MAX_BATCH ?? 500),
    maxConcurrent: Number(process.env.HOOKYARD_INGEST_MAX_CONCURRENT ?? 4),
    minBatchAlongside: Number(process.env.HOOKYARD_INGEST_MIN_BATCH_ALONGSIDE ?? 64),
    onStored: (events) => cleaner.noteWritten(events),
    wake: { channel: DELIVERIES_CHANNEL, coalescer: new WakeCoalescer(Number(process.env.HOOKYARD_INGEST_WAKE_WINDOW_MS ?? 2), wakeWorkers) },
  });
}

export function ingestWriter(): EventWriter {
  globalWriter.hookyardEventWriter ??= createIngestWriter();
  return globalWriter.hookyardEventWriter;
}
