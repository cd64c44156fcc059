/**
 * The benchmark's own database, fresh every run: an embedded Postgres in a new temporary data
 * directory when DATABASE_URL is unset (removed afterwards), else a new database
 * `bench_<timestamp>` on DATABASE_URL's server (dropped afterwards). Migrations are applied.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { applyMigrations, ensureDatabase } from '@/lib/db/migrate';

export interface BenchDatabase {
  url: string;
  /** For the report: "embedded PostgreSQL 18 (…)" or "bench_… on host:port". */
  description: string;
  embedded: boolean;
  serverVersion: string;
  /** The postmaster's pid when the server runs on this machine (to tell its CPU use apart), else null. */
  postmasterPid: number | null;
  stop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function serverInfo(url: string): Promise<{ version: string; postmasterPid: number | null }> {
  const client = new pg.Client({ connectionString: url, application_name: 'hookyard-bench' });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string; pid: number }>('SELECT current_setting($1) AS version, pg_backend_pid() AS pid', ['server_version']);
    const version = rows[0]?.version ?? 'unknown';
    // A backend's parent is the postmaster; /proc only shows it when the server is local.
    const stat = await fs.readFile(`/proc/${rows[0]?.pid}/stat`, 'utf8').catch(() => null);
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
    return { version, postmasterPid: Number.isInteger(ppid) && ppid > 1 ? ppid : null };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A start that failed half-way (e.g. Ctrl-C while pg_ctl waited) may leave a daemonised postmaster
 * behind with no handle to stop it: stop it by its pid file (SIGINT = fast shutdown).
 */
async function stopStrayPostmaster(dataDir: string): Promise<void> {
  const pid = Number.parseInt((await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 1) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let waited = 0; waited < 15_000 && alive(); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive()) process.kill(pid, 'SIGKILL');
}

async function startEmbedded(log: (line: string) => void): Promise<BenchDatabase> {
  const tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hookyard-bench-'));
  let postgres: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  const stop = async () => {
    if (postgres) await postgres.stop().catch((error: unknown) => log(`could not stop the embedded Postgres: ${String(error)}`));
    else await stopStrayPostmaster(path.join(tempDir, 'pg'));
    await fs.rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    postgres = await startEmbeddedPostgres({ dataDir: path.join(tempDir, 'pg'), password: randomBytes(18).toString('base64url') });
    await ensureDatabase(postgres.url('postgres'), 'hookyard');
    const url = postgres.url('hookyard');
    const info = await serverInfo(url);
    return {
      url,
      description: `embedded PostgreSQL ${info.version} in ${tempDir}`,
      embedded: true,
      serverVersion: info.version,
      postmasterPid: info.postmasterPid,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function createOnServer(baseUrl: string, log: (line: string) => void): Promise<BenchDatabase> {
  const name = `bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl, application_name: 'hookyard-bench' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = withDatabase(baseUrl, name);
  const stop = async () => {
    const client = new pg.Client({ connectionString: baseUrl, application_name: 'hookyard-bench' });
    try {
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } catch (error) {
      log(`could not drop the database ${name}: ${String(error)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const info = await serverInfo(url).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  const host = new URL(baseUrl);
  return {
    url,
    description: `database ${name} on ${host.hostname}:${host.port || 5432} (PostgreSQL ${info.version})`,
    embedded: false,
    serverVersion: info.version,
    postmasterPid: info.postmasterPid,
    stop,
  };
}

export async function startDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL;
  const database = external ? await createOnServer(external, log) : await startEmbedded(log);
  try {
    await applyMigrations(database.url);
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}
