/**
 * `npm start`: everything Hookyard needs, in one command. Embedded Postgres when DATABASE_URL is
 * unset, migrations, the first admin, a production build when the sources changed, then the web
 * server and a delivery worker as child processes. Ctrl-C stops the children first (they drain),
 * then Postgres.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildIsCurrent, stampFor } from '@/lib/config/build-stamp';
import { ConfigError, readConfig } from '@/lib/config/env';
import { dataDirectory } from '@/lib/config/data-dir';
import { type HookyardProcess, withHeapLimit } from '@/lib/config/heap-limit';
import { loadOrCreateLocalSecrets } from '@/lib/config/local-secrets';
import { clusterDirectory, startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { applyMigrations, ensureDatabase } from '@/lib/db/migrate';
import { disconnectDb } from '@/lib/db/prisma';
import { ensureFirstAdmin, readAdminSettings } from '@/lib/users/first-admin';

const root = process.cwd();
const dataDir = dataDirectory(root);
const CHILD_STOP_TIMEOUT_MS = 30_000;
let postgres: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;

function fail(message: string): never {
  console.error(`hookyard: ${message}`);
  process.exit(1);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function main() {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  const embedded = !env.DATABASE_URL;
  let stopping = false;
  const children: ChildProcess[] = [];

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), CHILD_STOP_TIMEOUT_MS);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await disconnectDb().catch(() => undefined);
    if (postgres) {
      console.log('hookyard: stopping embedded Postgres');
      await postgres.stop().catch((error: unknown) => console.error(`hookyard: ${String(error)}`));
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  if (embedded) {
    const local = loadOrCreateLocalSecrets(dataDir);
    env.HOOKYARD_MASTER_KEY ||= local.masterKey;
    if (!env.AUTH_SECRET && !env.NEXTAUTH_SECRET) env.AUTH_SECRET = local.authSecret;
    // Check every other setting before spending time on the database.
    readConfig({ ...env, DATABASE_URL: 'postgresql://localhost/placeholder' });
    console.log(`hookyard: DATABASE_URL is unset; starting the embedded Postgres (data in ${path.relative(root, dataDir) || '.'}/)`);
    const clusterDir = await clusterDirectory(path.join(dataDir, 'pg'), (line) => console.log(`hookyard: ${line}`));
    postgres = await startEmbeddedPostgres({ dataDir: clusterDir, password: local.postgresPassword });
    await ensureDatabase(postgres.url('postgres'), 'hookyard');
    env.DATABASE_URL = postgres.url('hookyard');
  }
  const config = readConfig(env);
  const admin = readAdminSettings(env);
  process.env.DATABASE_URL = config.databaseUrl;

  const { applied } = await applyMigrations(config.databaseUrl);
  if (applied.length > 0) console.log(`hookyard: applied migrations ${applied.join(', ')}`);

  const created = await ensureFirstAdmin(admin);
  if (created) {
    console.log(`hookyard: created the first admin ${created.email}`);
    if (created.generatedPassword) {
      console.log(`hookyard: its password is ${created.generatedPassword}  (shown once; change it after signing in)`);
    }
  }
  await disconnectDb();

  if (!buildIsCurrent(root)) {
    console.log('hookyard: building the dashboard (next build); this takes a minute the first time');
    const stamp = stampFor(root);
    const code = await run(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], env);
    if (code !== 0) fail('next build failed; see the output above');
    writeFileSync(stamp.file, stamp.hash);
  }
  if (stopping) return;

  const start = (name: HookyardProcess, script: string) => {
    // One process per child (`--import tsx`, not tsx's CLI, which would add a process between).
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit', env: withHeapLimit(name, { ...env, HOOKYARD_PROCESS: name }) });
    child.on('exit', (code, signal) => {
      if (!stopping) {
        console.error(`hookyard: the ${name} process exited (${signal ?? `code ${code}`}); stopping`);
        void shutdown(1);
      }
    });
    children.push(child);
  };
  start('web', 'server.ts');
  start('worker', 'scripts/worker.ts');
  console.log(`hookyard: dashboard on http://localhost:${config.port}  (Ctrl-C stops everything)`);
}

main().catch(async (error: unknown) => {
  await disconnectDb().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
  fail(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
});
