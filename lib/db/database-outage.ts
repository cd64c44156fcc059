/**
 * While the database is gone, every periodic query of a process fails: the worker's claims
 * twice a second, lease recovery, housekeeping. Logging each would bury the one line that matters,
 * so connection failures are told once when the outage starts and once when it ends (with how
 * long it lasted and how many failures were not logged); other errors are logged as they come.
 */
import { isConnectionError } from '@/lib/db/sql';
import { logger } from '@/lib/log/logger';

let outage: { since: number; quiet: number } | null = null;

/** Logs `error` under `message`, unless it is one more connection failure of an outage already told. */
export function logDatabaseFailure(error: unknown, message: string, context: Record<string, unknown> = {}): void {
  if (!isConnectionError(error)) {
    logger.warn({ err: error, ...context }, message);
    return;
  }
  if (outage) {
    outage.quiet++;
    return;
  }
  outage = { since: Date.now(), quiet: 0 };
  logger.warn({ err: error, ...context }, `${message}: the database is unreachable; retrying, quietly until it is back`);
}

/** A query succeeded: an outage, if there was one, is over. */
export function noteDatabaseReachable(): void {
  if (!outage) return;
  logger.warn({ downForMs: Date.now() - outage.since, failuresNotLogged: outage.quiet }, 'the database is reachable again');
  outage = null;
}
