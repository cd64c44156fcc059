import { ingestWriter } from './ingest-writer';
import { flushIngestStats } from './ingest-stats';
import { flushRejections } from './record-rejection';
import { flushSecretUsage } from './secret-usage';
import { flushSpans } from '@/lib/tracing/spans';

/** On shutdown: let queued events commit, then write the buffered counters and records. */
export async function flushIngestSideEffects(): Promise<void> {
  await ingestWriter().drain();
  await Promise.all([flushIngestStats(), flushRejections(), flushSecretUsage(), flushSpans()]);
}
