/** The BenchContext the sections get (bench/lib/section.ts), and its clean-up. */
import os from 'node:os';
import pg from 'pg';
import { cpuReport, cpuSnapshot, describeCpu, type CpuGroups, type CpuReport } from './cpu';
import type { BenchDatabase } from './database';
import { startMemorySampler } from './memory';
import type { BenchContext, CpuWatch } from './section';
import { startWeb, type WebProcess } from './web';

/** CPU use of processes that are not part of the benchmark, in % of one core, above which a run is flagged. */
const NOISE_PERCENT = 25;

export class StoppedError extends Error {
  constructor() {
    super('stopped');
    this.name = 'StoppedError';
  }
}

export interface ContextOptions {
  quick: boolean;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  database: BenchDatabase;
  hookyardEnv: NodeJS.ProcessEnv;
  log(line: string): void;
  isStopping(): boolean;
}

export interface OwnedContext extends BenchContext {
  /** Measurements during which other processes used the CPU. */
  cpuWarnings: string[];
  dispose(): Promise<void>;
}

export function createContext(options: ContextOptions): OwnedContext {
  let web: Promise<WebProcess> | null = null;
  let webProcess: WebProcess | null = null;
  const cpuWarnings: string[] = [];
  const memory = startMemorySampler();

  const watchCpu = (): CpuWatch => {
    let before: ReturnType<typeof cpuSnapshot> | null = null;
    let report: CpuReport | null = null;
    let workerPid = 0;
    let label = 'worker';
    const groups = (): CpuGroups => {
      const result: CpuGroups = {};
      const webGroup = webProcess?.child.pid;
      if (webGroup) result['web (launcher, server.ts processes, Next.js)'] = (_pid, p) => p.pgrp === webGroup;
      result[label] = (_pid, p) => p.pgrp === workerPid;
      const postmaster = options.database.postmasterPid;
      // Without a local postmaster pid (remote server), every local "postgres" process counts.
      result.postgres = postmaster ? (pid, p) => pid === postmaster || p.ppid === postmaster : (_pid, p) => p.comm === 'postgres';
      result['bench runner'] = (pid) => pid === process.pid;
      return result;
    };
    return {
      hooks(workerLabel) {
        label = workerLabel;
        return {
          onMeasureStart(pid) {
            workerPid = pid;
            before = cpuSnapshot();
          },
          onMeasureEnd() {
            if (!before) return;
            report = cpuReport(before, cpuSnapshot(), groups(), os.cpus().length);
            const other = (report?.byGroup.other ?? 0) + (report?.byGroup.exited ?? 0);
            if (other > NOISE_PERCENT) {
              cpuWarnings.push(
                `other processes on this machine used ${other}% of a core while ${label} measured: its figures are not reliable; run the benchmark on a quiet machine`,
              );
            }
          },
        };
      },
      report: () => report,
      describe: () => describeCpu(report),
    };
  };

  return {
    quick: options.quick,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    connections: options.connections,
    database: options.database,
    hookyardEnv: options.hookyardEnv,
    log: options.log,
    checkStopped() {
      if (options.isStopping()) throw new StoppedError();
    },
    web() {
      if (!web) {
        options.log('starting the web tier (npm run web: server.ts processes and Next.js, NODE_ENV=production)');
        web = startWeb(options.hookyardEnv).then((started) => {
          webProcess = started;
          options.log(
            `web tier live on ${started.baseUrl} (${started.webProcesses} web process(es), launcher pid ${started.serverPid() ?? '?'}; idle ${(started.settledMs / 1000).toFixed(1)} s after its first answer)`,
          );
          return started;
        });
        web.catch(() => {
          web = null;
        });
      }
      return web;
    },
    async query<T extends object>(text: string, values: unknown[] = []) {
      const client = new pg.Client({ connectionString: options.database.url, application_name: 'hookyard-bench' });
      await client.connect();
      try {
        return (await client.query<T>(text, values)).rows;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    watchCpu,
    memory,
    cpuWarnings,
    async dispose() {
      memory.stop();
      const started = webProcess ?? (await web?.catch(() => null)) ?? null;
      if (!started) return;
      const since = Date.now();
      await started.stop();
      const exit = started.child.exitCode ?? started.child.signalCode;
      options.log(`web process stopped in ${((Date.now() - since) / 1000).toFixed(1)} s (${typeof exit === 'number' ? `code ${exit}` : exit})`);
    },
  };
}
