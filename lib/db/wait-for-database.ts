/**
 * At start-up the database may not be there yet (a container starting beside Hookyard, a
 * failover in progress). Connection failures are retried with a message that says what is
 * wrong, until a deadline; anything else (a wrong password, a missing database) is final at once.
 */
import postgres from 'postgres';
import { isConnectionError } from './sql';

export interface WaitForDatabaseOptions {
  timeoutMs: number;
  log: (line: string) => void;
}

/** host:port/database of a URL, without credentials, for messages. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

function reason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'connection timed out';
  if (code === '57P03') return 'the server is starting up';
  return (message ?? String(error)).split('\n')[0]!;
}

const transient = (error: unknown) => isConnectionError(error) || (error as { code?: string }).code === '57P03';

export async function waitForDatabase(url: string, options: WaitForDatabaseOptions): Promise<void> {
  const where = describeDatabase(url);
  const started = Date.now();
  let lastLog = 0;
  let delay = 500;
  for (;;) {
    const client = postgres(url, { max: 1, connect_timeout: 5, idle_timeout: 1, onnotice: () => undefined, fetch_types: false });
    try {
      await client`SELECT 1`;
      if (lastLog > 0) options.log(`Postgres at ${where} is reachable now`);
      return;
    } catch (error) {
      if (!transient(error)) throw new Error(`cannot use Postgres at ${where}: ${reason(error)}`, { cause: error });
      const waited = Date.now() - started;
      if (waited >= options.timeoutMs) {
        throw new Error(
          `Postgres at ${where} was not reachable for ${Math.round(waited / 1000)} s (${reason(error)}); check DATABASE_URL and that the server is running`,
          {
            cause: error,
          },
        );
      }
      if (lastLog === 0 || Date.now() - lastLog >= 10_000) {
        lastLog = Date.now();
        options.log(`cannot reach Postgres at ${where} (${reason(error)}); retrying for up to ${Math.round((options.timeoutMs - waited) / 1000)} s more`);
      }
    } finally {
      await client.end({ timeout: 1 }).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(delay, started + options.timeoutMs - Date.now()))));
    delay = Math.min(delay * 2, 5000);
  }
}
