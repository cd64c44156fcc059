/**
 * A V8 heap cap for each of Hookyard's processes. Without one, V8 sizes its heap from the
 * machine's memory (~4 GB here) and lets garbage pile up: the web process reached 703 MB RSS
 * under ingest load, where a 256 MB cap gave 333 MB at the same throughput (npm run bench).
 * Request bodies are Buffers, outside the capped heap. `HOOKYARD_WEB_HEAP_MB` (server.ts: ingest
 * and the proxy), `HOOKYARD_DASHBOARD_HEAP_MB` (next-server.ts: Next.js) and
 * `HOOKYARD_WORKER_HEAP_MB` change the caps.
 */
export const DEFAULT_HEAP_MB = { web: 256, dashboard: 384, worker: 192 } as const;

export type HookyardProcess = keyof typeof DEFAULT_HEAP_MB;

const HEAP_FLAG = /--max-old-space-size(=\S*)?/;

/** The cap for a process, in MB, from HOOKYARD_<PROCESS>_HEAP_MB or the default. */
export function heapLimitMb(name: HookyardProcess, env: Record<string, string | undefined>): number {
  const variable = `HOOKYARD_${name.toUpperCase()}_HEAP_MB`;
  const raw = env[variable];
  const mb = raw === undefined || raw === '' ? DEFAULT_HEAP_MB[name] : Number(raw);
  if (!Number.isInteger(mb) || mb < 64) throw new Error(`${variable} must be a whole number of megabytes, at least 64 (got "${raw}")`);
  return mb;
}

/**
 * The child's environment with the heap cap in NODE_OPTIONS (node reads it at start). A
 * --max-old-space-size already in NODE_OPTIONS is the operator's and wins.
 */
export function withHeapLimit<Env extends Record<string, string | undefined>>(name: HookyardProcess, env: Env): Env & { NODE_OPTIONS?: string } {
  const mb = heapLimitMb(name, env);
  const options = env.NODE_OPTIONS ?? '';
  if (HEAP_FLAG.test(options)) return env;
  return { ...env, NODE_OPTIONS: `${options} --max-old-space-size=${mb}`.trim() };
}

/**
 * Node's command-line flags for a child forked by a Hookyard process, with that child's own cap
 * (a flag on the command line beats one in the inherited NODE_OPTIONS, which is the parent's).
 */
export function execArgvWithHeapLimit(name: HookyardProcess, execArgv: string[], env: Record<string, string | undefined>): string[] {
  return [...execArgv.filter((arg) => !HEAP_FLAG.test(arg)), `--max-old-space-size=${heapLimitMb(name, env)}`];
}
