/** Delivery workers as real child processes (`scripts/worker.ts`), for crash and scale-out tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { sql } from '@/lib/db/sql';
import { listWorkers, type WorkerInfo } from '@/lib/worker/worker-registry';
import { waitFor } from './sink';

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startWorkerProcess(env: Record<string, string> = {}): WorkerProcess {
  const root = process.cwd();
  let output = '';
  // `node --import tsx` keeps it one process: tsx's CLI would run the script in a child that a
  // SIGKILL of the parent leaves running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      HOOKYARD_PROCESS: 'worker',
      HOOKYARD_WORKER_POLL_MS: '100',
      HOOKYARD_LEASE_RECOVERY_MS: '500',
      HOOKYARD_LEASE_MARGIN_SECONDS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/** The worker's row in `workers`, once its first heartbeat is written (it is written before the first claim). */
export async function waitForRegistration(worker: WorkerProcess, timeoutMs = 30_000): Promise<WorkerInfo> {
  return waitFor(
    async () => (await listWorkers(sql())).find((row) => row.pid === worker.child.pid && row.host === hostname()),
    timeoutMs,
    `worker ${worker.child.pid} to register; its output: ${worker.output().slice(-500)}`,
  );
}

export const hasExited = (worker: WorkerProcess) => worker.child.exitCode !== null || worker.child.signalCode !== null;
