/**
 * What a benchmark section is: something that measures and returns figures. Adding a section
 * (delivery, end to end, dashboard, memory …) is a new module under bench/sections/ plus one line
 * in bench/sections/index.ts.
 */
import type { CpuReport } from './cpu';
import type { BenchDatabase } from './database';
import type { MemorySampler } from './memory';
import type { WebProcess } from './web';
import type { WorkerHooks } from './worker';

/** `{ group: { name: number } }`, e.g. `{ ingest: { rps: 2400 } }`: what bench/results.json holds. */
export type Figures = Record<string, Record<string, number>>;

/** One line of the printed table: a figure and the baselines it is compared with (figure ÷ baseline). */
export interface TableRow {
  /** "group.name" */
  figure: string;
  label: string;
  unit: string;
  baselines?: { figure: string; label: string }[];
}

export interface SectionResult {
  figures: Figures;
  /** Printed after the table; any problem makes the run exit 1. */
  problems?: string[];
  notes?: string[];
  /** Anything else worth keeping (goes to bench/results.meta.json, not results.json). */
  meta?: Record<string, unknown>;
}

/** CPU use per process group over a worker's measured window (bench/lib/cpu.ts). */
export interface CpuWatch {
  /** Pass to runWorker/runLoad; the worker's own processes are reported as `workerLabel`. */
  hooks(workerLabel: string): WorkerHooks;
  report(): CpuReport | null;
  describe(): string;
}

export interface BenchContext {
  quick: boolean;
  /** Length of each measured run, and of the warm-up before it (not counted). */
  durationSeconds: number;
  warmupSeconds: number;
  /** Concurrent connections of the load generators (the contract's figure: 32). */
  connections: number;
  database: BenchDatabase;
  /** The environment Hookyard's own processes run with (DATABASE_URL, keys, NODE_ENV=production …). */
  hookyardEnv: NodeJS.ProcessEnv;
  /** The web process (server.ts), started on first use and shared by the sections. */
  web(): Promise<WebProcess>;
  /** One query on the bench database (a short-lived `pg` connection). */
  query<T extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** Watches the CPU over the measured window of the worker it is hooked to. */
  watchCpu(): CpuWatch;
  /** Peak RSS of Hookyard's processes (web, worker), sampled over the whole run (bench/lib/memory.ts). */
  memory: MemorySampler;
  log(line: string): void;
  /** Throws when the run is being stopped (Ctrl-C): call between steps. */
  checkStopped(): void;
}

export interface Section {
  id: string;
  title: string;
  rows?: TableRow[];
  run(ctx: BenchContext): Promise<SectionResult>;
}

export function mergeFigures(into: Figures, from: Figures): Figures {
  for (const [group, values] of Object.entries(from)) into[group] = { ...(into[group] ?? {}), ...values };
  return into;
}

export function figureValue(figures: Figures, key: string): number | undefined {
  const [group, name] = key.split('.', 2);
  return group && name ? figures[group]?.[name] : undefined;
}
