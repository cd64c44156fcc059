/**
 * Hookyard's process layout under one launcher (`npm start`, `npm run web`):
 *
 *   launcher (this process: the supervisor and node:cluster primary, holding PORT)
 *   ├── web-1 … web-N   server.ts: ingest on the lean path, /api/health, proxy to the dashboard
 *   ├── dashboard       next-server.ts: Next.js on a private Unix socket
 *   ├── worker          scripts/worker.ts (npm start only)
 *   └── postgres        the embedded server, when DATABASE_URL is unset (npm start only)
 *
 * Every one of them is restarted when it dies (supervisor.ts). With two or more web processes
 * the port never closes and a dead one costs no intake at all; while the dashboard restarts, its
 * routes answer 503 and ingest goes on. docs/resilience.md has the reasons and the measurements.
 */
import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withHeapLimit } from '@/lib/config/heap-limit';
import { dashboardService, webService, workerService } from './process-services';
import type { SupervisorStatusMessage } from './status';
import { type ServiceDefinition, Supervisor } from './supervisor';

export interface SuperviseOptions {
  root: string;
  /** The environment every child gets (DATABASE_URL, keys, PORT, …). */
  env: NodeJS.ProcessEnv;
  webProcesses: number;
  /** Start a delivery worker too. */
  worker: boolean;
  /** The embedded Postgres, when there is one: stopped last. */
  postgres?: ServiceDefinition;
  /** Where processes.json is written (the pids and states, for operators and the fault tests). */
  stateFile?: string;
  log: (line: string) => void;
  warn: (line: string) => void;
}

export interface SupervisedHookyard {
  supervisor: Supervisor;
  webNames: string[];
  stop(): Promise<void>;
}

export function superviseHookyard(options: SuperviseOptions): SupervisedHookyard {
  const { root, env } = options;
  // The dashboard's socket lives in a directory only this user can enter (lib/web/dashboard-process.ts).
  const socketDir = env.HOOKYARD_DASHBOARD_SOCKET ? null : mkdtempSync(path.join(os.tmpdir(), 'hookyard-web-'));
  const childEnv: NodeJS.ProcessEnv = { ...env, HOOKYARD_DASHBOARD_SOCKET: env.HOOKYARD_DASHBOARD_SOCKET ?? path.join(socketDir!, 'next.sock') };
  const tsx = ['--import', 'tsx'];

  const supervisor = new Supervisor({ log: options.log, warn: options.warn });
  const webWorkers = new Set<ClusterWorker>();
  const broadcast = () => {
    const message: SupervisorStatusMessage = { type: 'hookyard:supervisor-status', status: supervisor.status() };
    for (const worker of webWorkers) if (worker.isConnected()) worker.send(message);
  };
  supervisor.on('change', (status) => {
    broadcast();
    if (options.stateFile) writeAtomically(options.stateFile, `${JSON.stringify(status, null, 2)}\n`);
  });

  if (options.postgres) supervisor.add(options.postgres);

  cluster.setupPrimary({ exec: path.join(root, 'server.ts'), execArgv: tsx, silent: false });
  const webNames = Array.from({ length: options.webProcesses }, (_, index) => `web-${index + 1}`);
  for (const name of webNames) {
    supervisor.add(
      webService(name, withHeapLimit('web', childEnv), (worker) => {
        webWorkers.add(worker);
        worker.once('exit', () => webWorkers.delete(worker));
        broadcast();
      }),
    );
  }
  supervisor.add(dashboardService(path.join(root, 'next-server.ts'), childEnv));
  if (options.worker) supervisor.add(workerService(path.join(root, 'scripts/worker.ts'), tsx, withHeapLimit('worker', childEnv)));

  return {
    supervisor,
    webNames,
    async stop() {
      // Intake drains first, then what it hands work to, then the database.
      await supervisor.stop([webNames, ['dashboard', 'worker'], ['postgres']]);
      if (socketDir) rmSync(socketDir, { recursive: true, force: true });
      if (options.stateFile) rmSync(options.stateFile, { force: true });
    },
  };
}

function writeAtomically(file: string, content: string): void {
  try {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, content);
    renameSync(temp, file);
  } catch {
    // Only informational: a read-only data directory must not stop the launcher.
  }
}
