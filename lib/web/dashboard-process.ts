/**
 * The Next.js process behind the web processes. Next.js in the same process as ingest costs ingest
 * ~20% of its throughput (docs/performance.md: on Node 20 its AsyncLocalStorage runs async_hooks
 * on every promise, it patches Date and web crypto, and its heap makes collections longer), so
 * server.ts answers ingest itself and proxies everything else to this child over a Unix socket in
 * a directory only this user can enter (so nobody else can reach Next.js with a forged
 * client-address header). The launcher starts it (and starts it again when it dies); the child
 * answers `ready` once it listens, and stops when told to, or when its parent goes away.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execArgvWithHeapLimit } from '@/lib/config/heap-limit';
import { inheritedEnv } from '@/lib/config/settings';

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

export type DashboardMessage = { type: 'ready' } | { type: 'stop' };

export interface DashboardProcess {
  socketPath: string;
  child: ChildProcess;
  /** Resolves when the child has exited, with how ("code 0", "signal SIGKILL"). */
  exited: Promise<string>;
  /** Asks the child to finish its requests and exit; kills it after STOP_TIMEOUT_MS. */
  stop(): Promise<void>;
}

/** `signal` abandons the start (the child is killed and the promise rejects). */
export async function startDashboardProcess(entry: string, env: NodeJS.ProcessEnv = inheritedEnv(), signal?: AbortSignal): Promise<DashboardProcess> {
  // HOOKYARD_DASHBOARD_SOCKET: where to listen (the bench measures Next.js there directly).
  const ownDir = env.HOOKYARD_DASHBOARD_SOCKET ? null : await mkdtemp(path.join(os.tmpdir(), 'hookyard-web-'));
  const socketPath = env.HOOKYARD_DASHBOARD_SOCKET ?? path.join(ownDir!, 'next.sock');
  const child = fork(entry, [], {
    execArgv: execArgvWithHeapLimit('dashboard', process.execArgv, env),
    env: { ...env, HOOKYARD_PROCESS: 'dashboard', HOOKYARD_DASHBOARD_SOCKET: socketPath },
    stdio: 'inherit',
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, how) => resolve(how ? `signal ${how}` : `code ${code}`)));
  const removeDir = () => (ownDir ? rm(ownDir, { recursive: true, force: true }).catch(() => undefined) : Promise.resolve());

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the dashboard process did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
      child.on('message', (message: DashboardMessage) => {
        if (message?.type !== 'ready') return;
        clearTimeout(timer);
        resolve();
      });
      void exited.then((how) => {
        clearTimeout(timer);
        reject(new Error(`the dashboard process exited during start-up (${how})`));
      });
      signal?.addEventListener('abort', () => reject(new Error('start-up abandoned')), { once: true });
      if (signal?.aborted) reject(new Error('start-up abandoned'));
    });
  } catch (error) {
    child.kill('SIGKILL');
    await removeDir();
    throw error;
  }

  return {
    socketPath,
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ type: 'stop' } satisfies DashboardMessage);
        else child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(kill);
      }
      await removeDir();
    },
  };
}
