/**
 * Wakes idle delivery workers after new deliveries commit: a NOTIFY on `hookyard_deliveries`,
 * sent outside the event transaction (NOTIFY inside it would take Postgres' global notify lock
 * at every commit) and coalesced to at most one per few milliseconds per process. Workers also
 * poll, so a lost notification only delays, never loses, a delivery.
 */
import { sql } from '@/lib/db/sql';
import { logger } from '@/lib/log/logger';

export const DELIVERIES_CHANNEL = 'hookyard_deliveries';
const COALESCE_MS = 2;

let scheduled = false;

export function wakeWorkers(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    sql()`SELECT pg_notify(${DELIVERIES_CHANNEL}, '')`.catch((error: unknown) => logger.debug({ err: error }, 'wake-up NOTIFY failed'));
  }, COALESCE_MS).unref?.();
}
