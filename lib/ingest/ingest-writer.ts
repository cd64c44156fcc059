/** The process-wide group-commit writer used by both ingest entry points. */
import { sql } from '@/lib/db/sql';
import { EventWriter } from './event-writer';
import { wakeWorkers } from './wake-workers';

const globalWriter = globalThis as unknown as { hookyardEventWriter?: EventWriter };

export function ingestWriter(): EventWriter {
  globalWriter.hookyardEventWriter ??= new EventWriter(sql, {
    maxBatch: Number(process.env.HOOKYARD_INGEST_MAX_BATCH ?? 500),
    maxConcurrent: Number(process.env.HOOKYARD_INGEST_MAX_CONCURRENT ?? 4),
    onCommitted: () => wakeWorkers(),
  });
  return globalWriter.hookyardEventWriter;
}
