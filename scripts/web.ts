/**
 * `npm run web`: the web tier alone, for scaling out beside `npm run worker` on other machines:
 * HOOKYARD_WEB_PROCESSES web processes sharing PORT and the Next.js dashboard, supervised as
 * under `npm start` (lib/supervisor/supervise-hookyard.ts), but no worker, no embedded Postgres
 * and no migrations (`npm run db:migrate` applies those). It needs DATABASE_URL, the same keys as
 * every other process, and a production build (`npm run build`, or one `npm start`).
 */
import { buildIsCurrent } from '@/lib/config/build-stamp';
import { ConfigError, readConfig, readLauncherConfig } from '@/lib/config/env';
import { checkAllSettings } from '@/lib/config/settings';
import { waitForDatabase } from '@/lib/db/wait-for-database';
import { superviseHookyard } from '@/lib/supervisor/supervise-hookyard';

const log = (line: string) => console.log(`hookyard web: ${line}`);
const warn = (line: string) => console.error(`hookyard web: ${line}`);

async function main() {
  const root = process.cwd();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  checkAllSettings(env);
  const config = readConfig(env);
  const launcher = readLauncherConfig(env);
  env.NEXTAUTH_URL ??= config.publicUrl ?? `http://localhost:${config.port}`;
  if (!buildIsCurrent(root)) throw new Error('there is no current production build; run `npm run build` (or `npm start` once) first');
  await waitForDatabase(config.databaseUrl, { timeoutMs: launcher.databaseWaitSeconds * 1000, log });

  const web = superviseHookyard({ root, env, webProcesses: launcher.webProcesses, worker: false, log, warn });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await web.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await web.supervisor.running(web.webNames);
  log(`${launcher.webProcesses} web process(es) listening on http://localhost:${config.port}`);
}

main().catch((error: unknown) => {
  warn(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
  process.exit(1);
});
