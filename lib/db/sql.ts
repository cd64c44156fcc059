/**
 * postgres.js for the hot paths where Prisma is a poor fit: batched multi-row writes on ingest,
 * SKIP LOCKED claims in the worker, LISTEN/NOTIFY. Everything else goes through Prisma (db()).
 */
import postgres from 'postgres';
import { currentDatabaseUrl, readProcessSettings, tunables } from '@/lib/config/settings';

export type Sql = postgres.Sql;

/** `a AND b AND …` of SQL conditions (TRUE for none). */
export function andAll(sql: Sql, conditions: postgres.Fragment[]): postgres.Fragment {
  if (conditions.length === 0) return sql`TRUE`;
  return conditions.slice(1).reduce((all, condition) => sql`${all} AND ${condition}`, conditions[0]!);
}

/**
 * How long the pool waits before it tries to connect again after a failure, shared by all its
 * connections. postgres.js's own default grows to 20 s after a few failures, and queries queue
 * (they do not fail) meanwhile: after a database restart, ingest then hung for up to 20 s where
 * it should have answered 503 at once and served again as soon as the database was back (both
 * measured in tests/faults). Capped at one second here.
 */
export function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.05 * 2 ** failures, 1) * (0.5 + Math.random() / 2);
}

const globalForSql = globalThis as unknown as { hookyardSql?: Sql; hookyardSqlUrl?: string };

export function sql(): Sql {
  const url = currentDatabaseUrl();
  if (!globalForSql.hookyardSql || globalForSql.hookyardSqlUrl !== url) {
    void globalForSql.hookyardSql?.end({ timeout: 1 });
    globalForSql.hookyardSql = postgres(url, {
      max: tunables().pools.sql,
      prepare: true,
      idle_timeout: 60,
      connect_timeout: 5,
      backoff: reconnectDelaySeconds,
      onnotice: () => undefined,
      connection: { application_name: `hookyard-${readProcessSettings().role}` },
    });
    globalForSql.hookyardSqlUrl = url;
    const instance = globalForSql.hookyardSql;
    // postgres.js fetches the catalogue of array types on every new connection and does not
    // handle a failure of that fetch: a connection opened while the database goes away becomes an
    // unhandled rejection. The catalogue is shared by all connections once loaded, so load it once.
    instance`SELECT 1`.then(
      () => {
        (instance.options as { fetch_types: boolean }).fetch_types = false;
      },
      () => undefined,
    );
  }
  return globalForSql.hookyardSql;
}

export async function closeSql(): Promise<void> {
  const current = globalForSql.hookyardSql;
  globalForSql.hookyardSql = undefined;
  await current?.end({ timeout: 5 });
}

/** Errors that mean "the database is not there right now", as opposed to a bad statement. */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return (
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|CONNECTION_|CONNECT_TIMEOUT)/.test(code) ||
    code.startsWith('08') || // connection exception
    code.startsWith('57P') || // operator intervention (shutdown)
    code === '53300' // too many connections
  );
}
