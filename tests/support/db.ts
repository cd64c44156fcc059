// Database helpers for integration tests. Each test file runs against its own database, copied
// from the migrated template before the file's imports run (tests/support/per-file-database.ts).
import pg from 'pg';

/** The same server and credentials as `url`, another database. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** This test file's own database (also in process.env.DATABASE_URL). */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url || !process.env.HOOKYARD_TEST_DATABASE) {
    throw new Error('no per-file test database: run this file in the vitest "integration" project');
  }
  return url;
}

/** Runs `fn` with a pg client connected to this test file's database, then disconnects. */
export async function withPg<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withPgAt(testDatabaseUrl(), fn);
}

export async function withPgAt<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** DROP DATABASE … WITH (FORCE): ends whatever connections a test left open. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`invalid database name "${name}"`);
  await withPgAt(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
