/**
 * The web tier exactly as production runs it: `npm run web` (scripts/web.ts, the same supervised
 * layout as `npm start` without the worker and the database), with NODE_ENV=production, on a free
 * port: HOOKYARD_WEB_PROCESSES web processes (server.ts, default 2; BENCH_WEB_PROCESSES chooses)
 * sharing the port through node:cluster, and the Next.js process (next-server.ts), whose socket
 * is put in a temporary directory of the benchmark's, so that the Next.js baseline can be
 * measured there directly.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { childPids, spawnTsx, stopProcess } from './processes';

export interface WebProcess {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  /** The Unix socket the Next.js process (next-server.ts) listens on, behind server.ts. */
  dashboardSocket: string;
  /** How long it took after answering until it stopped working in the background. */
  settledMs: number;
  /** How many web processes (server.ts) share the port. */
  webProcesses: number;
  /** The pid of the launcher (tsx's CLI runs it in a child of its own). */
  serverPid(): number | undefined;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

async function waitUntilLive(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the web process exited during start-up (${child.signalCode ?? `code ${child.exitCode}`})`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health/live`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      lastError = `GET /api/health/live answered ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the web process did not become live within ${timeoutMs / 1000} s (${lastError})`);
}

/** CPU ticks used so far by every process in a process group (Linux /proc; null elsewhere). */
async function groupTicks(pgrp: number): Promise<number | null> {
  const { readdir, readFile } = await import('node:fs/promises');
  const entries = await readdir('/proc').catch(() => null);
  if (!entries) return null;
  let ticks = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgrp) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks;
}

/**
 * After it answers, Next.js keeps loading every route's module in the background for several
 * seconds (preloading entries), at full CPU. Measuring then measures start-up: wait until the
 * process group has used under 5% of a core over a second (at most `timeoutMs`).
 */
async function waitUntilSettled(pgrp: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let previous = await groupTicks(pgrp);
  if (previous === null) return 0;
  while (Date.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await groupTicks(pgrp);
    if (now === null) return 0;
    if (now - previous <= 5) break; // ticks are 10 ms: 5 ticks in 1 s = 5% of a core
    previous = now;
  }
  return Date.now() - started;
}

export async function startWeb(env: NodeJS.ProcessEnv, name = 'web'): Promise<WebProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const socketDir = mkdtempSync(path.join(os.tmpdir(), 'hookyard-bench-web-'));
  const dashboardSocket = path.join(socketDir, 'next.sock');
  const removeSocketDir = () => rmSync(socketDir, { recursive: true, force: true });
  const webProcesses = Number(env.BENCH_WEB_PROCESSES ?? env.HOOKYARD_WEB_PROCESSES ?? 2);
  const child = spawnTsx(name, 'scripts/web.ts', {
    ...env,
    PORT: String(port),
    HOOKYARD_PROCESS: 'launcher',
    HOOKYARD_WEB_PROCESSES: String(webProcesses),
    HOOKYARD_DASHBOARD_SOCKET: dashboardSocket,
  });
  try {
    await waitUntilLive(baseUrl, child, 120_000);
  } catch (error) {
    await stopProcess(child);
    removeSocketDir();
    throw error;
  }
  const nodePid = child.pid === undefined ? undefined : ((await childPids(child.pid))[0] ?? child.pid);
  const settledMs = child.pid === undefined ? 0 : await waitUntilSettled(child.pid, 30_000);
  return {
    baseUrl,
    port,
    child,
    dashboardSocket,
    webProcesses,
    settledMs,
    serverPid: () => nodePid,
    stop: () => stopProcess(child, 30_000).finally(removeSocketDir),
  };
}
