/**
 * Measuring workers (load generators) run in child processes of their own and talk over IPC:
 * the benchmark sends the options; the worker reports when its measured window starts and ends
 * (so the benchmark can watch the CPU over exactly that window) and then sends its result.
 */
import { forkTsx, stopProcess } from './processes';

type WorkerMessage<TResult> = { type: 'phase'; phase: 'measuring' | 'measured' } | { type: 'result'; result: TResult } | { type: 'error'; error: string };

export interface WorkerHooks {
  /** Called with the worker's pid when its measured window starts, and again when it ends. */
  onMeasureStart?(pid: number): void;
  onMeasureEnd?(pid: number): void;
}

/** Runs `script` (a worker using serveWorker) with `options`; resolves with its result. */
export async function runWorker<TOptions, TResult>(name: string, script: string, options: TOptions, hooks: WorkerHooks = {}): Promise<TResult> {
  const child = forkTsx(name, script);
  try {
    return await new Promise<TResult>((resolve, reject) => {
      child.on('message', (raw) => {
        const message = raw as WorkerMessage<TResult>;
        if (message.type === 'phase' && message.phase === 'measuring') hooks.onMeasureStart?.(child.pid ?? 0);
        else if (message.type === 'phase' && message.phase === 'measured') hooks.onMeasureEnd?.(child.pid ?? 0);
        else if (message.type === 'result') resolve(message.result);
        else if (message.type === 'error') reject(new Error(`${name}: ${message.error}`));
      });
      child.once('exit', (code, signal) => reject(new Error(`${name} exited before answering (${signal ?? `code ${code}`})`)));
      child.send(options as object);
    });
  } finally {
    await stopProcess(child, 5_000);
  }
}

/** The worker's side: wait for the options, run, send the result (or the error), exit. */
export function serveWorker<TOptions, TResult>(run: (options: TOptions, phase: (phase: 'measuring' | 'measured') => void) => Promise<TResult>): void {
  const send = (message: WorkerMessage<TResult>, then?: () => void) => process.send?.(message, undefined, undefined, then);
  process.once('message', (options) => {
    run(options as TOptions, (phase) => send({ type: 'phase', phase })).then(
      (result) => send({ type: 'result', result }, () => process.exit(0)),
      (error: unknown) => send({ type: 'error', error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)),
    );
  });
  // The benchmark went away, or wants us gone: stop at once.
  process.on('disconnect', () => process.exit(1));
  process.on('SIGTERM', () => process.exit(1));
  process.on('SIGINT', () => undefined); // the benchmark decides how to stop on Ctrl-C
}
