/**
 * Starts Hookyard for the browser tests the way `npm start` does, but on fresh data: a new data
 * directory (embedded Postgres), or a new database on DATABASE_URL's server when that is set.
 * A real OpenID provider runs beside it (oidc-provider.ts, on E2E_PORT + 10), and every spec runs
 * with single sign-on configured and password sign-in still on, as a team moving to SSO would.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { clusterDirectory, runPgCtl } from '@/lib/db/embedded-postgres';
import { ensureDatabase } from '@/lib/db/migrate';
import { E2E_ADMIN } from './credentials';
import { startOidcProvider } from './oidc-provider';
import { e2eOidc } from './oidc-settings';

async function main() {
  const root = process.cwd();
  const port = Number(process.env.E2E_PORT ?? '3100');
  const oidc = e2eOidc(port);
  const provider = await startOidcProvider(port);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    // The redirect URI registered at the provider is built from it (and NEXTAUTH_URL with it).
    HOOKYARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    HOOKYARD_OIDC_ISSUER: oidc.issuer,
    HOOKYARD_OIDC_CLIENT_ID: oidc.clientId,
    HOOKYARD_OIDC_CLIENT_SECRET: oidc.clientSecret,
    HOOKYARD_OIDC_NAME: oidc.name,
    HOOKYARD_OIDC_ROLE_CLAIM: oidc.roleClaim,
    HOOKYARD_OIDC_ROLE_MAP: JSON.stringify(oidc.roleMap),
    HOOKYARD_ADMIN_EMAIL: E2E_ADMIN.email,
    HOOKYARD_ADMIN_PASSWORD: E2E_ADMIN.password,
    HOOKYARD_DATA_DIR: path.join(root, '.data-e2e'),
    LOG_LEVEL: 'warn',
    // The alert rules every 2 s instead of 15, so that a browser test sees a source go silent soon.
    HOOKYARD_ALERT_RULES_INTERVAL_MS: process.env.HOOKYARD_ALERT_RULES_INTERVAL_MS ?? '2000',
    // Failed sign-ins are not slowed, so a browser test can lock an account in ten quick tries.
    HOOKYARD_SIGN_IN_MAX_DELAY_MS: process.env.HOOKYARD_SIGN_IN_MAX_DELAY_MS ?? '0',
  };
  rmSync(env.HOOKYARD_DATA_DIR!, { recursive: true, force: true });
  // As root in a private directory (a mktemp clone) the cluster lives elsewhere
  // (lib/db/embedded-postgres.ts, clusterDirectory): start that one fresh too, or the next run
  // at the same path would meet the old cluster with a new password.
  const pgDir = path.join(env.HOOKYARD_DATA_DIR!, 'pg');
  const cluster = process.env.DATABASE_URL ? pgDir : await clusterDirectory(pgDir);
  if (cluster !== pgDir) rmSync(cluster, { recursive: true, force: true });
  if (process.env.DATABASE_URL) {
    const name = `hookyard_e2e_${Date.now().toString(36)}`;
    await ensureDatabase(process.env.DATABASE_URL, name);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    env.HOOKYARD_MASTER_KEY ??= Buffer.alloc(32, 7).toString('base64');
    env.AUTH_SECRET ??= 'e2e-auth-secret-e2e-auth-secret-e2e-auth';
  }
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => {
    void provider.close();
    // The launcher stops its embedded Postgres last; if it died before (or was killed), the
    // server (in a session of its own) would outlive the tests: stop it here.
    if (existsSync(path.join(cluster, 'postmaster.pid'))) {
      void runPgCtl(cluster, ['-m', 'immediate', '-w', 'stop']).finally(() => process.exit(code ?? 0));
      return;
    }
    process.exit(code ?? 0);
  });
}

void main();
