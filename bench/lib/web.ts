/**
 * The web process exactly as production runs it (scripts/start.ts): `node
 * node_modules/tsx/dist/cli.mjs server.ts` with NODE_ENV=production, on a free port.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { spawnTsx, stopProcess } from './processes';

export interface WebProcess {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  /** The pid of the node process that runs server.ts (tsx's CLI runs it in a child of its own). */
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

/** Children of a pid, from /proc (Linux); empty elsewhere. */
async function childPids(pid: number): Promise<number[]> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

export async function startWeb(env: NodeJS.ProcessEnv, name = 'web'): Promise<WebProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawnTsx(name, 'server.ts', { ...env, PORT: String(port), HOOKYARD_PROCESS: name });
  try {
    await waitUntilLive(baseUrl, child, 60_000);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  const nodePid = child.pid === undefined ? undefined : ((await childPids(child.pid))[0] ?? child.pid);
  return { baseUrl, port, child, serverPid: () => nodePid, stop: () => stopProcess(child, 15_000) };
}
