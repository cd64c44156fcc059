/**
 * For the shell scripts (`npm run user:create`, `apikey:create`): the database to
 * work on. DATABASE_URL when set; else the embedded one in `.data/`, whether `npm start` is
 * running it (its port is in postmaster.pid) or not (then it is started for the script and
 * stopped afterwards).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dataDirectory } from '@/lib/config/data-dir';
import { loadOrCreateLocalSecrets } from '@/lib/config/local-secrets';
import { hasDatabaseUrl, pointAtDatabase, adoptMasterKeyIfUnset } from '@/lib/config/settings';
import { clusterDirectory, startEmbeddedPostgres } from './embedded-postgres';
import { applyMigrations, ensureDatabase } from './migrate';
import { disconnectDb } from './prisma';

function runningEmbeddedPort(pgDir: string): number | null {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return null;
  }
  return Number(port) || null;
}

/** Whether `npm start` is running the embedded database of `root` now. */
export async function embeddedDatabaseRunning(root = process.cwd()): Promise<boolean> {
  const pgDir = await clusterDirectory(path.join(dataDirectory(root), 'pg'));
  return runningEmbeddedPort(pgDir) !== null;
}

export async function withDatabase<T>(run: () => Promise<T>, root = process.cwd()): Promise<T> {
  if (hasDatabaseUrl()) {
    try {
      return await run();
    } finally {
      await disconnectDb();
    }
  }
  const dataDir = dataDirectory(root);
  const secrets = loadOrCreateLocalSecrets(dataDir);
  adoptMasterKeyIfUnset(secrets.masterKey, secrets.previousMasterKeys);
  const pgDir = await clusterDirectory(path.join(dataDir, 'pg'));
  const port = runningEmbeddedPort(pgDir);
  const started = port ? null : await startEmbeddedPostgres({ dataDir: pgDir, password: secrets.postgresPassword });
  const url = started ? started.url('hookyard') : `postgresql://postgres:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${port}/hookyard`;
  try {
    if (started) await ensureDatabase(started.url('postgres'), 'hookyard');
    await applyMigrations(url);
    pointAtDatabase(url);
    return await run();
  } finally {
    await disconnectDb();
    await started?.stop();
  }
}
