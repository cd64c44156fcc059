/**
 * The Node processes `npm start` supervises, as service definitions: the Next.js dashboard, the
 * web processes (ingest and the proxy, sharing one port through node:cluster) and the delivery
 * worker. Each child knows it is supervised (HOOKYARD_SUPERVISED=1): it then ignores the Ctrl-C
 * that reaches the whole process group and waits to be stopped by the launcher, in order, and it
 * stops by itself if the launcher goes away.
 */
import { type ChildProcess, fork } from 'node:child_process';
import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import { startDashboardProcess } from '@/lib/web/dashboard-process';
import type { RunningProcess, ServiceDefinition } from './supervisor';

const STOP_TIMEOUT_MS = 30_000;

const describeExit = (code: number | null, signal: NodeJS.Signals | string | null) => (signal ? `signal ${signal}` : `code ${code}`);

/** SIGTERM, then SIGKILL after the deadline; resolves once the process is gone. */
async function terminate(kill: (signal: NodeJS.Signals) => void, exited: Promise<string>, timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  const timer = setTimeout(() => kill('SIGKILL'), timeoutMs);
  kill('SIGTERM');
  await exited;
  clearTimeout(timer);
}

export function dashboardService(entry: string, env: NodeJS.ProcessEnv): ServiceDefinition {
  return {
    name: 'dashboard',
    async start(signal) {
      const dashboard = await startDashboardProcess(entry, { ...env, HOOKYARD_SUPERVISED: '1' }, signal);
      return { pid: dashboard.child.pid ?? null, exited: dashboard.exited, stop: () => dashboard.stop() };
    },
  };
}

/** A delivery worker (scripts/worker.ts), forked with an IPC channel so that it notices when the launcher dies. */
export function workerService(entry: string, execArgv: string[], env: NodeJS.ProcessEnv): ServiceDefinition {
  return {
    name: 'worker',
    async start() {
      const child: ChildProcess = fork(entry, [], { execArgv, env: { ...env, HOOKYARD_PROCESS: 'worker', HOOKYARD_SUPERVISED: '1' }, stdio: 'inherit' });
      const exited = new Promise<string>((resolve) => child.once('exit', (code, how) => resolve(describeExit(code, how))));
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      return { pid: child.pid ?? null, exited, stop: () => terminate((how) => child.kill(how), exited) };
    },
  };
}

/**
 * One web process (server.ts) as a node:cluster worker of the launcher. The launcher's cluster
 * primary holds the listening socket and hands connections to every web process in turn, so the
 * port stays open while one of them restarts. cluster.setupPrimary must have pointed at server.ts.
 */
export function webService(name: string, env: NodeJS.ProcessEnv, onStarted: (worker: ClusterWorker) => void): ServiceDefinition {
  return {
    name,
    async start(signal) {
      const worker = cluster.fork({ ...env, HOOKYARD_PROCESS: 'web', HOOKYARD_SUPERVISED: '1' });
      const exited = new Promise<string>((resolve) => worker.once('exit', (code, how) => resolve(describeExit(code, how))));
      const kill = (how: NodeJS.Signals) => {
        if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill(how);
      };
      try {
        await new Promise<void>((resolve, reject) => {
          worker.once('listening', () => resolve());
          void exited.then((how) => reject(new Error(`exited during start-up (${how})`)));
          signal.addEventListener('abort', () => reject(new Error('start-up abandoned')), { once: true });
        });
      } catch (error) {
        kill('SIGKILL');
        await exited;
        throw error;
      }
      onStarted(worker);
      return { pid: worker.process.pid ?? null, exited, stop: () => terminate(kill, exited) } satisfies RunningProcess;
    },
  };
}
