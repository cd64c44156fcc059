/**
 * Peak memory of Hookyard's own processes over the whole run (Linux /proc; elsewhere nothing is
 * reported). One sampler, started with the run, polls every second: it finds the benchmark's
 * descendants that carry HOOKYARD_PROCESS in their environment (`web` for server.ts, `worker` for
 * scripts/worker.ts), skips tsx's CLI wrapper (`node …/tsx/dist/cli.mjs script`, whose child runs
 * the script), and reads VmRSS and VmHWM from /proc/<pid>/status. VmHWM is the kernel's own
 * high-water mark of the RSS, so a spike between two samples still counts; the samples tell in
 * which section the peak came.
 */
import { readFile } from 'node:fs/promises';
import { childPids } from './processes';

const MB = 1024 * 1024;

interface Tracked {
  pid: number;
  /** Start time in ticks since boot: tells a reused pid apart. */
  start: string;
  role: string;
  samples: number;
  /** Highest VmRSS sampled, and the section it was sampled in. */
  peakRss: number;
  peakLabel: string;
  /** Last VmHWM read while the process was alive. */
  hwm: number;
  lastRss: number;
  /** Highest VmRSS sampled per section. */
  bySection: Record<string, number>;
  firstSeenIn: string;
}

export interface ProcessMemory {
  role: string;
  pid: number;
  samples: number;
  /** max(highest sampled VmRSS, VmHWM), in MB. */
  peakMb: number;
  sampledPeakMb: number;
  hwmMb: number;
  /** The section in which the highest sample was taken. */
  peakDuring: string;
  lastMb: number;
  bySectionMb: Record<string, number>;
  firstSeenIn: string;
}

export interface MemorySampler {
  /** The section that starts now: samples are also kept per section. */
  mark(label: string): void;
  /** Samples at once (e.g. at the end of a section); resolves when done. */
  sampleNow(): Promise<void>;
  /** Every process seen so far, alive or not. */
  processes(): ProcessMemory[];
  /** The highest peak among the processes of a role, in MB; undefined when none was seen. */
  peakMb(role: string): number | undefined;
  stop(): void;
}

const round = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** Every descendant of `root`, parents before their children. */
async function descendants(root: number): Promise<{ pid: number; parent: number }[]> {
  const found: { pid: number; parent: number }[] = [];
  let level = [root];
  while (level.length > 0) {
    const next = (await Promise.all(level.map(async (parent) => (await childPids(parent)).map((pid) => ({ pid, parent }))))).flat();
    found.push(...next);
    level = next.map((entry) => entry.pid);
  }
  return found;
}

/** HOOKYARD_PROCESS of a node process that runs a Hookyard script (not tsx's wrapper, not esbuild), else null. */
async function roleOf(pid: number): Promise<string | null> {
  const [environ, cmdline] = await Promise.all([
    readFile(`/proc/${pid}/environ`, 'utf8').catch(() => ''),
    readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''),
  ]);
  const role = environ
    .split('\0')
    .find((entry) => entry.startsWith('HOOKYARD_PROCESS='))
    ?.slice('HOOKYARD_PROCESS='.length);
  if (!role) return null;
  const argv = cmdline.split('\0');
  if (!/(^|\/)node[^/]*$/.test(argv[0] ?? '')) return null; // e.g. tsx's esbuild service, which inherits the environment
  if (argv.some((arg) => arg.endsWith('tsx/dist/cli.mjs'))) return null;
  return role;
}

async function readStatus(pid: number): Promise<{ rss: number; hwm: number } | null> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  if (!text) return null;
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  return Number.isFinite(rss) ? { rss, hwm: Number.isFinite(hwm) ? hwm : rss } : null;
}

async function startTime(pid: number): Promise<string | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat ? (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null) : null;
}

export function startMemorySampler(intervalMs = 1000): MemorySampler {
  const tracked = new Map<string, Tracked>();
  /**
   * Descendants that are not Hookyard processes (load generators, tsx wrappers), by how often they
   * were looked at: after a few looks they are not looked at again (the first look may come
   * between fork and exec, when a child still shows the benchmark's own command line).
   */
  const ignored = new Map<string, number>();
  let label = 'start';

  const sample = async (entry: Tracked) => {
    const status = await readStatus(entry.pid);
    if (!status) return;
    entry.samples++;
    entry.lastRss = status.rss;
    entry.hwm = Math.max(entry.hwm, status.hwm);
    if (status.rss > entry.peakRss) {
      entry.peakRss = status.rss;
      entry.peakLabel = label;
    }
    entry.bySection[label] = Math.max(entry.bySection[label] ?? 0, status.rss);
  };

  const poll = async () => {
    const alive = new Map<number, Tracked>();
    for (const { pid, parent } of await descendants(process.pid)) {
      const start = await startTime(pid);
      if (start === null) continue;
      const key = `${pid}/${start}`;
      if ((ignored.get(key) ?? 0) >= 3) continue;
      let entry = tracked.get(key);
      if (!entry) {
        const role = await roleOf(pid);
        if (!role) {
          ignored.set(key, (ignored.get(key) ?? 0) + 1);
          continue;
        }
        // A Hookyard process started by another one is reported under its own role (server.ts starts
        // next-server.ts as `dashboard`); one that merely inherited its parent's role, apart from it.
        const parentEntry = alive.get(parent);
        entry = {
          pid,
          start,
          role: parentEntry?.role === role ? `${role} (child)` : role,
          samples: 0,
          peakRss: 0,
          peakLabel: label,
          hwm: 0,
          lastRss: 0,
          bySection: {},
          firstSeenIn: label,
        };
        tracked.set(key, entry);
      }
      alive.set(pid, entry);
    }
    await Promise.all([...alive.values()].map(sample));
  };

  let polling: Promise<void> | null = null;
  const sampleNow = async (): Promise<void> => {
    // One poll at a time: a caller that asks meanwhile gets the next one.
    while (polling) await polling;
    polling = poll()
      .catch(() => undefined)
      .finally(() => {
        polling = null;
      });
    await polling;
  };
  const timer = setInterval(() => {
    if (!polling) void sampleNow();
  }, intervalMs);
  timer.unref();
  void sampleNow();

  const processes = (): ProcessMemory[] =>
    [...tracked.values()].map((entry) => ({
      role: entry.role,
      pid: entry.pid,
      samples: entry.samples,
      peakMb: round(Math.max(entry.peakRss, entry.hwm)),
      sampledPeakMb: round(entry.peakRss),
      hwmMb: round(entry.hwm),
      peakDuring: entry.peakLabel,
      lastMb: round(entry.lastRss),
      bySectionMb: Object.fromEntries(Object.entries(entry.bySection).map(([section, bytes]) => [section, round(bytes)])),
      firstSeenIn: entry.firstSeenIn,
    }));

  return {
    mark(next) {
      label = next;
      void sampleNow();
    },
    sampleNow,
    processes,
    peakMb(role) {
      const peaks = processes()
        .filter((entry) => entry.role === role && entry.samples > 0)
        .map((entry) => entry.peakMb);
      return peaks.length > 0 ? Math.max(...peaks) : undefined;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
