/**
 * Every process the benchmark starts goes through here, so that one call stops them all: on a
 * normal end, on an error and on Ctrl-C. Each child gets its own process group (detached), so a
 * stop reaches its own children too (tsx's CLI runs the script in a second process), and a
 * terminal's Ctrl-C does not hit the children before the benchmark has decided how to stop them.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export const ROOT = process.cwd();
const TSX_CLI = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

interface Tracked {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}

const running = new Set<Tracked>();

function track(name: string, child: ChildProcess): ChildProcess {
  const entry: Tracked = {
    name,
    child,
    exited: new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    }),
  };
  running.add(entry);
  void entry.exited.then(() => running.delete(entry));
  return child;
}

function exitedPromise(child: ChildProcess): Promise<void> {
  for (const entry of running) if (entry.child === child) return entry.exited;
  return Promise.resolve();
}

/** Signals the child's whole process group; `evenIfExited` reaches members that outlived the leader. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals, evenIfExited = false): void {
  if (child.pid === undefined) return;
  if (!evenIfExited && (child.exitCode !== null || child.signalCode !== null)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is empty
  }
}

/** A TypeScript script run the way production runs it: `node node_modules/tsx/dist/cli.mjs script`. */
export function spawnTsx(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [TSX_CLI, script], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  return track(name, child);
}

/** A TypeScript worker with an IPC channel (node --import tsx), for load generators and helpers. */
export function forkTsx(name: string, script: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = fork(path.join(ROOT, script), [], {
    cwd: ROOT,
    env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  return track(name, child);
}

/** A plain command (e.g. `next build`), tracked like the others; resolves with its exit code. */
export function runCommand(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = track(name, spawn(command, args, { cwd: ROOT, env, stdio: 'inherit', detached: true }));
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.once('error', () => resolve(127));
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  const exited = exitedPromise(child);
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // The group may still hold a grandchild that outlived its parent.
  signalGroup(child, 'SIGKILL', true);
}

export async function stopAllProcesses(graceMs = 10_000): Promise<void> {
  await Promise.all([...running].map((entry) => stopProcess(entry.child, graceMs)));
}

/** Last resort from the 'exit' handler (synchronous): kill whatever is left. */
export function killAllProcessesNow(): void {
  for (const entry of running) signalGroup(entry.child, 'SIGKILL', true);
}

/** Children of a pid, from /proc (Linux); empty elsewhere. A child belongs to the thread that forked it: every thread's list is read. */
export async function childPids(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')));
  return lists.flatMap((text) => text.split(/\s+/).filter(Boolean).map(Number));
}
