/**
 * `npm start`: everything Hookyard needs, in one command. Embedded Postgres when DATABASE_URL is
 * unset (or a wait for DATABASE_URL's server when it is not there yet), migrations, the first
 * admin, a production build when the sources changed, then the supervised processes
 * (lib/supervisor/supervise-hookyard.ts): the web processes on PORT, the Next.js dashboard, a
 * delivery worker and the embedded Postgres, each started again whenever it dies. Only Ctrl-C
 * (SIGINT) or SIGTERM stops the whole: intake drains first, Postgres goes last.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildIsCurrent, stampFor } from '@/lib/config/build-stamp';
import { dataDirectory } from '@/lib/config/data-dir';
import { ConfigError, readConfig, readLauncherConfig } from '@/lib/config/env';
import { checkAllSettings } from '@/lib/config/settings';
import { loadOrCreateLocalSecrets } from '@/lib/config/local-secrets';
import { clusterDirectory, type EmbeddedPostgresHandle, startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { applyMigrations, ensureDatabase } from '@/lib/db/migrate';
import { disconnectDb } from '@/lib/db/prisma';
import { waitForDatabase } from '@/lib/db/wait-for-database';
import { embeddedPostgresService } from '@/lib/supervisor/postgres-service';
import { type SupervisedHookyard, superviseHookyard } from '@/lib/supervisor/supervise-hookyard';
import { ensureFirstAdmin, readAdminSettings } from '@/lib/users/first-admin';

const root = process.cwd();
const dataDir = dataDirectory(root);
const log = (line: string) => console.log(`hookyard: ${line}`);
const warn = (line: string) => console.error(`hookyard: ${line}`);
let postgres: EmbeddedPostgresHandle | undefined;
let hookyard: SupervisedHookyard | undefined;

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

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (hookyard) {
      log('stopping (web processes first, the database last)');
      await hookyard.stop();
    } else {
      await disconnectDb().catch(() => undefined);
      await postgres?.stop().catch((error: unknown) => warn(String(error)));
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  // Every setting, the tunables of every process included, before anything starts: a typo stops
  // start-up here with one line naming the setting. (The embedded mode's generated keys and
  // database URL are filled in below; stand-ins keep their checks out of the way here.)
  checkAllSettings({
    ...env,
    DATABASE_URL: env.DATABASE_URL || 'postgresql://localhost/placeholder',
    HOOKYARD_MASTER_KEY: env.HOOKYARD_MASTER_KEY || (embedded ? Buffer.alloc(32).toString('base64') : undefined),
    AUTH_SECRET: env.AUTH_SECRET || env.NEXTAUTH_SECRET || (embedded ? 'x'.repeat(32) : undefined),
  });
  const launcher = readLauncherConfig(env);
  mkdirSync(dataDir, { recursive: true });
  let postgresOptions: Parameters<typeof embeddedPostgresService>[0] | undefined;
  if (embedded) {
    const local = loadOrCreateLocalSecrets(dataDir);
    if (!env.HOOKYARD_MASTER_KEY) {
      env.HOOKYARD_MASTER_KEY = local.masterKey;
      // Keys of a rotation still under way (npm run secrets:rotate-key -- --new-key) keep decrypting.
      if (local.previousMasterKeys?.length) env.HOOKYARD_MASTER_KEY_PREVIOUS = local.previousMasterKeys.join(',');
    }
    if (!env.AUTH_SECRET && !env.NEXTAUTH_SECRET) env.AUTH_SECRET = local.authSecret;
    log(`DATABASE_URL is unset; starting the embedded Postgres (data in ${path.relative(root, dataDir) || '.'}/)`);
    const clusterDir = await clusterDirectory(path.join(dataDir, 'pg'), log);
    postgres = await startEmbeddedPostgres({ dataDir: clusterDir, password: local.postgresPassword });
    postgresOptions = { dataDir: clusterDir, password: local.postgresPassword, port: postgres.port };
    await ensureDatabase(postgres.url('postgres'), 'hookyard');
    env.DATABASE_URL = postgres.url('hookyard');
  }
  const config = readConfig(env);
  const admin = readAdminSettings(env);
  process.env.DATABASE_URL = config.databaseUrl;
  env.NEXTAUTH_URL ??= config.publicUrl ?? `http://localhost:${config.port}`;
  if (!embedded) await waitForDatabase(config.databaseUrl, { timeoutMs: launcher.databaseWaitSeconds * 1000, log });

  const { applied } = await applyMigrations(config.databaseUrl);
  if (applied.length > 0) log(`applied migrations ${applied.join(', ')}`);

  const created = await ensureFirstAdmin(admin);
  if (created) {
    log(`created the first admin ${created.email}`);
    if (created.generatedPassword) log(`its password is ${created.generatedPassword}  (shown once; change it after signing in)`);
  }
  await disconnectDb();

  if (!buildIsCurrent(root)) {
    log('building the dashboard (next build); this takes a minute the first time');
    const stamp = stampFor(root);
    const code = await run(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], env);
    if (stopping) return;
    if (code !== 0) fail('next build failed; see the output above');
    writeFileSync(stamp.file, stamp.hash);
  }
  if (stopping) return;

  hookyard = superviseHookyard({
    root,
    env,
    webProcesses: launcher.webProcesses,
    worker: true,
    postgres: postgres && postgresOptions ? embeddedPostgresService(postgresOptions, postgres) : undefined,
    stateFile: path.join(dataDir, 'processes.json'),
    log,
    warn,
  });
  await hookyard.supervisor.running(hookyard.webNames);
  if (!stopping) log(`listening on http://localhost:${config.port}  (Ctrl-C stops everything)`);
  await hookyard.supervisor.running(['dashboard']);
  if (!stopping) log(`dashboard on http://localhost:${config.port}`);
}

main().catch(async (error: unknown) => {
  await disconnectDb().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
  fail(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
});
