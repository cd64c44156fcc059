// vitest globalSetup of the "integration" project: one Postgres server for the whole run and one
// migrated template database that every test file copies (tests/support/per-file-database.ts).
//
// DATABASE_URL set: that server is used (its database is only used to connect as an admin) and
// the template is kept for the next run. Unset: an embedded Postgres starts in a fresh temp dir and
// is stopped and deleted afterwards.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { applyMigrations, ensureDatabase, readMigrations } from '@/lib/db/migrate';
import { databaseUrl, dropDatabase } from './db';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: EmbeddedPostgresHandle | undefined;
  let tempDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;

  if (!adminUrl) {
    // mkdtemp makes it 0700; startEmbeddedPostgres lets the OS user `postgres` search it (as
    // root the server runs as that user) and creates and chowns the data dir inside.
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hookyard-test-pg-'));
    const started = Date.now();
    server = await startEmbeddedPostgres({
      dataDir: path.join(tempDir, 'data'),
      password: randomBytes(16).toString('hex'),
    });
    console.log(`[integration] embedded Postgres on port ${server.port} ready in ${Date.now() - started} ms`);
    adminUrl = server.url('postgres');
  }

  // pg_ctl runs the server in its own session, so it outlives vitest unless stopped. On Ctrl-C
  // vitest exits without calling teardown: the 'exit' handler is then the last chance, and only
  // synchronous work runs there, so it sends the postmaster SIGQUIT (immediate shutdown).
  const stopOnExit = () => {
    if (!tempDir) return;
    try {
      const pid = Number.parseInt(readFileSync(path.join(tempDir, 'data', 'postmaster.pid'), 'utf8'), 10);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // Already stopped.
    }
    removeInBackground(tempDir, 2);
  };
  if (server) process.once('exit', stopOnExit);

  const cleanup = async () => {
    process.off('exit', stopOnExit);
    await server?.stop();
    if (tempDir) removeInBackground(tempDir, 0);
  };

  try {
    // Named after the migrations, so a long-lived server keeps one template per migration set and
    // reruns skip the work; applyMigrations also completes a template a crashed run left behind.
    const migrations = await readMigrations();
    const hash = createHash('sha256');
    for (const migration of migrations) hash.update(`${migration.name}\0${migration.checksum}\0`);
    const template = `hookyard_tpl_${hash.digest('hex').slice(0, 12)}`;

    const started = Date.now();
    await ensureDatabase(adminUrl, template);
    try {
      const { applied } = await applyMigrations(databaseUrl(adminUrl, template));
      const what = applied.length > 0 ? `${applied.length} migration(s) applied` : 'reused';
      console.log(`[integration] template ${template} ${what} in ${Date.now() - started} ms`);
    } catch (error) {
      await dropDatabase(adminUrl, template).catch(() => undefined);
      throw error;
    }

    project.provide('hookyardAdminUrl', adminUrl);
    project.provide('hookyardTemplateDb', template);
    project.provide('hookyardDisposableServer', server !== undefined);
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
  return cleanup;
}

/**
 * Deleting a freshly fsynced cluster takes seconds on these disks (about 6 s for 160 MB in 4,000
 * files) and nothing needs to wait for it, so it finishes after vitest has exited.
 */
function removeInBackground(dir: string, delaySeconds: number): void {
  spawn('sh', ['-c', 'sleep "$1"; rm -rf "$2"', 'sh', String(delaySeconds), dir], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}
