/**
 * Runs transforms off the caller's event loop, in a small pool of worker threads
 * (sandbox-thread.mjs), each running one sandboxed call at a time.
 *
 * Why threads: a QuickJS call is synchronous. Its interrupt handler stops ordinary runaway code
 * (`while (true) {}`) at the 50 ms deadline, but QuickJS only consults it between bytecode
 * branches: a built-in doing a lot of work in one call (a `fill` of a sparse array, a huge
 * `join`), and freeing a heap full of objects afterwards, ran for 3.5 s and 1.2 s here with the
 * deadline long past. In the worker's own thread that would stall every destination's sends, and
 * even 50 ms per call adds up when many deliveries carry a slow transform. In a thread it stalls
 * only the transforms queued behind it, and a watchdog bounds even that: a call that has not
 * answered within HARD_LIMIT_MS is answered with transform_error and its thread is terminated
 * and replaced, so no code can hold a thread longer than that.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { logger } from '@/lib/log/logger';
import { type SandboxLimits, TRANSFORM_LIMITS, WALL_CAP_FACTOR } from './limits';
import type { TransformEvent, TransformRun } from './sandbox';

/** A thread stuck in one call past this is terminated: the sandbox's own wall-time cap (limits.ts), plus room for set-up. */
export const HARD_LIMIT_MS = TRANSFORM_LIMITS.cpuMs * WALL_CAP_FACTOR + 500;

interface Job {
  id: number;
  source: string;
  /** Null: a save-time check (compile, run the top level, find transform). */
  event: TransformEvent | null;
  limits: SandboxLimits;
  resolve: (run: TransformRun) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  watchdog: NodeJS.Timeout | null;
}

export interface TransformPool {
  /** Runs the code on the event; with a null event, only checks that it compiles and defines transform. */
  run(source: string, event: TransformEvent | null, limits?: SandboxLimits): Promise<TransformRun>;
  close(): Promise<void>;
  /** For tests and docs: how many threads were replaced after a stuck call or a crash. */
  readonly replaced: number;
}

/**
 * The thread's file, beside this module. Built from import.meta.url by hand rather than with
 * `new URL('./…', import.meta.url)`, which bundlers (Next.js) take for an asset and copy away from
 * the TypeScript it loads; the project root is the fallback where a bundle has no source path.
 */
function threadUrl(): URL {
  if (import.meta.url.startsWith('file:')) {
    const beside = join(dirname(fileURLToPath(import.meta.url)), THREAD_FILE);
    if (existsSync(beside)) return pathToFileURL(beside);
  }
  return pathToFileURL(join(process.cwd(), 'lib', 'transforms', THREAD_FILE));
}

const THREAD_FILE = 'sandbox-thread.mjs';

export function createTransformPool(options: { size?: number; hardLimitMs?: number } = {}): TransformPool {
  // One thread per spare core, at least one: a transform should never compete with the worker's own thread.
  const size = options.size ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const hardLimitMs = options.hardLimitMs ?? HARD_LIMIT_MS;
  const queue: Job[] = [];
  const slots: Slot[] = [];
  let nextId = 0;
  let closed = false;
  let replaced = 0;
  /** Threads in a row that failed before they were ready: a broken install must not respawn in a tight loop. */
  let failedStarts = 0;
  let started = false;

  const failure = (message: string, durationMs: number): TransformRun => ({ kind: 'error', message, line: null, logs: [], durationMs });

  function spawn(): Slot {
    const slot: Slot = { worker: new Worker(threadUrl()), ready: false, job: null, watchdog: null };
    slot.worker.unref();
    slot.worker.on('message', (message: { ready?: true; id?: number; run?: TransformRun }) => {
      if (message.ready) {
        slot.ready = true;
        failedStarts = 0;
        pump();
        return;
      }
      const job = slot.job;
      if (!job || message.id !== job.id || !message.run) return;
      clearTimeout(slot.watchdog ?? undefined);
      slot.job = null;
      job.resolve(message.run);
      pump();
    });
    slot.worker.on('error', (error) => {
      logger.warn({ err: error }, 'a transform sandbox thread failed; replacing it');
      if (!slot.ready) {
        // It never started: fail what waits rather than hold it, and try again after a backoff.
        failedStarts++;
        for (const job of queue.splice(0)) job.resolve(failure(`the transform sandbox could not start: ${error.message}`, 0));
      }
      replace(slot, 'the sandbox thread failed');
    });
    slot.worker.on('exit', () => {
      if (!closed && slots.includes(slot)) replace(slot, 'the sandbox thread exited');
    });
    return slot;
  }

  function replace(slot: Slot, reason: string, durationMs = 0): void {
    const index = slots.indexOf(slot);
    if (index === -1) return;
    clearTimeout(slot.watchdog ?? undefined);
    const job = slot.job;
    slot.job = null;
    slots.splice(index, 1);
    void slot.worker.terminate();
    replaced++;
    job?.resolve(failure(reason, durationMs));
    if (closed) return;
    if (failedStarts === 0) {
      slots.push(spawn());
      return;
    }
    const delay = Math.min(30_000, 100 * 2 ** failedStarts);
    setTimeout(() => {
      if (!closed) slots.push(spawn());
    }, delay).unref();
  }

  function pump(): void {
    for (const slot of slots) {
      if (!slot.ready || slot.job) continue;
      const job = queue.shift();
      if (!job) return;
      slot.job = job;
      const started = performance.now();
      slot.watchdog = setTimeout(() => {
        logger.warn({ hardLimitMs }, 'a transform ignored its CPU limit (stuck in a built-in); its sandbox thread was terminated');
        replace(
          slot,
          `the transform ran over its ${job.limits.cpuMs} ms CPU limit and was stopped after ${hardLimitMs} ms (a built-in call that could not be interrupted)`,
          Math.round(performance.now() - started),
        );
      }, hardLimitMs);
      slot.worker.postMessage({ id: job.id, source: job.source, event: job.event, limits: job.limits });
    }
  }

  return {
    get replaced() {
      return replaced;
    },
    run(source, event, limits = TRANSFORM_LIMITS) {
      if (closed) return Promise.resolve(failure('the transform sandbox is shut down', 0));
      if (!started) {
        started = true;
        for (let i = 0; i < size; i++) slots.push(spawn());
      }
      return new Promise<TransformRun>((resolve) => {
        queue.push({ id: ++nextId, source, event, limits, resolve });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.resolve(failure('the transform sandbox is shut down', 0));
      const all = slots.splice(0);
      for (const slot of all) {
        clearTimeout(slot.watchdog ?? undefined);
        slot.job?.resolve(failure('the transform sandbox is shut down', 0));
      }
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}

let shared: TransformPool | undefined;

/** The process's pool, started on first use (a process with no transforms starts no threads). */
export function transformPool(): TransformPool {
  shared ??= createTransformPool();
  return shared;
}

export async function closeTransformPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
