/**
 * `npm start` as a newcomer runs it (scripts/start.ts, the real launcher), on a fresh data
 * directory and a free port, for the fault tests: it finds each supervised process's pid in
 * `<data dir>/processes.json`, talks to the JSON API with an API key made by `npm run
 * apikey:create`, and stops everything with Ctrl-C (SIGINT to the process group) at the end,
 * checking that nothing is left running.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SupervisorStatus } from '@/lib/supervisor/status';

const ROOT = process.cwd();

export interface Launcher {
  baseUrl: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  status(): SupervisorStatus | null;
  pid(service: string): number;
  /** Waits until every supervised service runs and /api/health says the database and dashboard are ok. */
  ready(timeoutMs?: number): Promise<void>;
  api<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function until<T>(
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env }, (error, stdout, stderr) =>
      error ? reject(new Error(`${script} failed: ${stderr || error.message}`)) : resolve(stdout.trim()),
    );
  });
}

export async function startLauncher(extraEnv: Record<string, string> = {}): Promise<Launcher> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookyard-faults-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOOKYARD_DATA_DIR: dataDir,
    HOOKYARD_ADMIN_EMAIL: 'admin@faults.test',
    HOOKYARD_ADMIN_PASSWORD: 'faults-admin-password-1234',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  if (!extraEnv.DATABASE_URL) delete env.DATABASE_URL;
  let output = '';
  // Its own process group, like a terminal's foreground job: Ctrl-C is a SIGINT to the group.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  let apiKey: string | null = null;

  const status = (): SupervisorStatus | null => {
    try {
      return JSON.parse(readFileSync(path.join(dataDir, 'processes.json'), 'utf8')) as SupervisorStatus;
    } catch {
      return null;
    }
  };

  const launcher: Launcher = {
    baseUrl,
    dataDir,
    child,
    output: () => output,
    status,
    pid(service) {
      const pid = status()?.services.find((entry) => entry.name === service)?.pid;
      if (!pid) throw new Error(`no running ${service} process in processes.json`);
      return pid;
    },
    async ready(timeoutMs = 300_000) {
      await until(
        async () => {
          if (child.exitCode !== null) throw new Error(`the launcher exited (code ${child.exitCode}):\n${output.slice(-3000)}`);
          const services = status()?.services;
          if (!services || !services.every((service) => service.state === 'running')) return false;
          const health = await fetch(`${baseUrl}/api/health`)
            .then((r) => r.json() as Promise<{ components: Record<string, string> }>)
            .catch(() => null);
          return health?.components.database === 'ok' && health.components.dashboard === 'ok' && health.components.worker === 'ok';
        },
        timeoutMs,
        'the launcher to be ready',
        250,
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; its output ends with:\n${output.slice(-3000)}`);
      });
    },
    async api<T>(method: string, route: string, body?: unknown) {
      apiKey ??= await runScript('scripts/apikey-create.ts', ['--role', 'ADMIN', '--name', 'fault-tests'], env);
      const response = await fetch(`${baseUrl}${route}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    async stop() {
      const group = child.pid!;
      if (child.exitCode === null) {
        process.kill(-group, 'SIGINT');
        await until(() => child.exitCode !== null, 60_000, 'the launcher to stop on SIGINT', 100);
      }
      // Nothing of this launcher may be left: no web process, dashboard, worker or Postgres.
      const left = await new Promise<string>((resolve) => execFile('pgrep', ['-a', '-g', String(group)], (_error, stdout) => resolve(stdout.trim())));
      const postgres = await new Promise<string>((resolve) => execFile('pgrep', ['-af', dataDir], (_error, stdout) => resolve(stdout.trim())));
      rmSync(dataDir, { recursive: true, force: true });
      if (left || postgres) throw new Error(`processes left running after Ctrl-C:\n${left}\n${postgres}`);
    },
  };
  return launcher;
}
