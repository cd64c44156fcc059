/**
 * A Postgres of a test's own that the test may stop and start again (on the same port, with its
 * data), migrated and made this process's DATABASE_URL: for the outage tests, which must not stop
 * the server every other test file shares.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@/lib/db/embedded-postgres';
import { applyMigrations, ensureDatabase } from '@/lib/db/migrate';
import { disconnectDb } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';

const PASSWORD = 'outage';

export interface StoppablePostgres {
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same data. */
  restart(): Promise<void>;
  /** Closes this process's pools, stops the server and deletes its data. */
  dispose(): Promise<void>;
}

export async function startStoppablePostgres(name: string): Promise<StoppablePostgres> {
  const dataRoot = mkdtempSync(path.join(tmpdir(), `hookyard-${name}-`));
  const dataDir = path.join(dataRoot, 'pg');
  let server: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir, password: PASSWORD });
  await ensureDatabase(server.url('postgres'), 'hookyard');
  await applyMigrations(server.url('hookyard'));
  process.env.DATABASE_URL = server.url('hookyard');
  return {
    stop: () => server.stop(),
    restart: async () => {
      server = await startEmbeddedPostgres({ dataDir, password: PASSWORD, port: server.port });
    },
    dispose: async () => {
      await disconnectDb();
      await closeSql();
      await server.stop();
      rmSync(dataRoot, { recursive: true, force: true });
    },
  };
}
