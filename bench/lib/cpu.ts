/**
 * Who used the CPU during a measured run, from /proc (Linux only; elsewhere nothing is reported):
 * per group of processes, in percent of one core (so 2 cores = 200%), plus how busy the whole
 * machine was.
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux we run on

interface ProcessCpu {
  comm: string;
  /** Start time in ticks since boot: tells a reused pid apart (comm is no help: kernel workers rename themselves). */
  start: number;
  pgrp: number;
  ppid: number;
  ticks: number;
}

interface Snapshot {
  at: number;
  processes: Map<number, ProcessCpu>;
  machineBusy: number;
  machineTotal: number;
  /** user + nice + system ticks of all CPUs: what processes (alive or not) used. */
  machineTasks: number;
  /** Ticks the hypervisor gave to other guests while this machine wanted to run (a VM's "steal"). */
  machineSteal: number;
}

function readProcesses(): Map<number, ProcessCpu> {
  const processes = new Map<number, ProcessCpu>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return processes;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      processes.set(Number(entry), {
        comm,
        start: Number(fields[19]),
        ppid: Number(fields[1]),
        pgrp: Number(fields[2]),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // the process ended meanwhile
    }
  }
  return processes;
}

function readMachine(): { busy: number; total: number; tasks: number; steal: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((sum, value) => sum + value, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total, tasks: (values[0] ?? 0) + (values[1] ?? 0) + (values[2] ?? 0), steal: values[7] ?? 0 };
  } catch {
    return { busy: 0, total: 0, tasks: 0, steal: 0 };
  }
}

export function cpuSnapshot(): Snapshot {
  const machine = readMachine();
  return {
    at: Date.now(),
    processes: readProcesses(),
    machineBusy: machine.busy,
    machineTotal: machine.total,
    machineTasks: machine.tasks,
    machineSteal: machine.steal,
  };
}

/** Process groups to report; a process belongs to the first group that claims it. */
export type CpuGroups = Record<string, (pid: number, process: { comm: string; pgrp: number; ppid: number }) => boolean>;

export interface CpuReport {
  /** Percent of one core, per group, plus "other". */
  byGroup: Record<string, number>;
  /** The busiest processes in "other" (name and pid), to tell what disturbed a run. */
  topOther: string[];
  /** Percent of the whole machine (all cores) that was busy, steal included. */
  machineBusyPercent: number;
  /** Percent of the whole machine taken by the hypervisor for other guests (VMs): CPU the run wanted and did not get. */
  stealPercent: number;
  cores: number;
}

export function cpuReport(before: Snapshot, after: Snapshot, groups: CpuGroups, cores: number): CpuReport | null {
  if (after.processes.size === 0) return null;
  const seconds = (after.at - before.at) / 1000;
  if (seconds <= 0) return null;
  const byGroup: Record<string, number> = Object.fromEntries([...Object.keys(groups), 'kernel threads', 'other', 'exited'].map((name) => [name, 0]));
  let attributed = 0;
  const others: [string, number][] = [];
  const percent = (ticks: number) => Math.round((ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100);
  for (const [pid, now] of after.processes) {
    const then = before.processes.get(pid);
    const ticks = now.ticks - (then && then.start === now.start ? then.ticks : 0);
    if (ticks <= 0) continue;
    // Kernel threads (children of kthreadd) do the benchmark's I/O and networking too (fsync, loopback).
    const group = Object.keys(groups).find((name) => groups[name]!(pid, now)) ?? (now.ppid === 2 || pid === 2 ? 'kernel threads' : 'other');
    byGroup[group]! += ticks;
    attributed += ticks;
    if (group === 'other') others.push([`${now.comm} (${pid})`, ticks]);
  }
  // CPU time of processes that ended inside the window (a test run, a compiler) is in the machine's
  // counters but in no process's: it is somebody else's, so it counts as noise too.
  byGroup.exited = Math.max(0, after.machineTasks - before.machineTasks - attributed);
  for (const name of Object.keys(byGroup)) byGroup[name] = percent(byGroup[name]!);
  if (byGroup.exited! < 5) byGroup.exited = 0; // counter granularity
  const topOther = others
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .filter(([, ticks]) => percent(ticks) >= 1)
    .map(([name, ticks]) => `${name} ${percent(ticks)}%`);
  const total = after.machineTotal - before.machineTotal;
  const machineBusyPercent = total > 0 ? Math.round(((after.machineBusy - before.machineBusy) / total) * 100) : 0;
  const stealPercent = total > 0 ? Math.round(((after.machineSteal - before.machineSteal) / total) * 100) : 0;
  return { byGroup, topOther, machineBusyPercent, stealPercent, cores };
}

export function describeCpu(report: CpuReport | null): string {
  if (!report) return 'CPU: not available on this platform';
  const parts = Object.entries(report.byGroup)
    .filter(([, percent]) => percent > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, percent]) => `${name} ${percent}%`);
  const other = report.topOther.length > 0 ? `; busiest other processes: ${report.topOther.join(', ')}` : '';
  const steal = report.stealPercent > 0 ? `, ${report.stealPercent}% of it stolen by the hypervisor` : '';
  return `CPU (100% = one core): ${parts.join(', ')}; the machine was ${report.machineBusyPercent}% busy (${report.cores} cores)${steal}${other}`;
}
