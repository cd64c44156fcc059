/**
 * A V8 heap cap for each of Hookyard's processes. Without one, V8 sizes its heap from the
 * machine's memory (~4 GB here) and lets garbage pile up: the web process reached 703 MB RSS
 * under ingest load, where a 256 MB cap gave 333 MB at the same throughput (npm run bench).
 * Request bodies are Buffers, outside the capped heap. `HOOKYARD_WEB_HEAP_MB` and
 * `HOOKYARD_WORKER_HEAP_MB` change the caps; a --max-old-space-size already in NODE_OPTIONS wins.
 */
export const DEFAULT_HEAP_MB = { web: 384, worker: 192 } as const;

export type HookyardProcess = keyof typeof DEFAULT_HEAP_MB;

/** The child's environment with the heap cap in NODE_OPTIONS (node reads it at start). */
export function withHeapLimit<Env extends Record<string, string | undefined>>(name: HookyardProcess, env: Env): Env & { NODE_OPTIONS?: string } {
  const variable = `HOOKYARD_${name.toUpperCase()}_HEAP_MB`;
  const raw = env[variable];
  const mb = raw === undefined || raw === '' ? DEFAULT_HEAP_MB[name] : Number(raw);
  if (!Number.isInteger(mb) || mb < 64) throw new Error(`${variable} must be a whole number of megabytes, at least 64 (got "${raw}")`);
  const options = env.NODE_OPTIONS ?? '';
  if (/--max-old-space-size\b/.test(options)) return env;
  return { ...env, NODE_OPTIONS: `${options} --max-old-space-size=${mb}`.trim() };
}
