/** The process-wide group-commit writer used by both ingest entry points. */
import { tunables } from '@/lib/config/settings';
import { DELIVERIES_CHANNEL } from '@/lib/db/channels';
import { sql } from '@/lib/db/sql';
import { WakeCoalescer, wakeWorkers } from '@/lib/db/wake-workers';
import { EventWriter } from './event-writer';
import { GinPendingListCleaner } from './gin-pending-list';

const globalWriter = globalThis as unknown as { hookyardEventWriter?: EventWriter };

function createIngestWriter(): EventWriter {
  const settings = tunables().ingest;
  const cleaner = new GinPendingListCleaner(sql, settings.ginCleanEvery);
  return new EventWriter(sql, {
    maxBatch: settings.maxBatch,
    maxConcurrent: settings.maxConcurrent,
    minBatchAlongside: settings.minBatchAlongside,
    onStored: (events) => cleaner.noteWritten(events),
    wake: { channel: DELIVERIES_CHANNEL, coalescer: new WakeCoalescer(settings.wakeWindowMs, wakeWorkers) },
  });
}

export function ingestWriter(): EventWriter {
  globalWriter.hookyardEventWriter ??= createIngestWriter();
  return globalWriter.hookyardEventWriter;
}
