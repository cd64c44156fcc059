/**
 * The per-call limits of the transform sandbox (docs/transformations.md), apart from the sandbox
 * itself so that modules which only pass limits along (the thread pool, the API) do not load the
 * WebAssembly engine, and the Next.js server bundle never contains it.
 */
import { TRANSFORM_SOURCE_BYTES } from './transforms.schema';

export interface SandboxLimits {
  cpuMs: number;
  memoryBytes: number;
  stackBytes: number;
}

/**
 * A call that has not used its CPU limit is still stopped after this many times the limit in wall
 * time (1 s): a thread starved of CPU on a busy machine gets that long before its transform fails.
 */
export const WALL_CAP_FACTOR = 20;

export const TRANSFORM_LIMITS = {
  cpuMs: 50,
  memoryBytes: 16 * 1024 * 1024,
  stackBytes: 256 * 1024,
  /** Of the source, checked when a route is saved. */
  sourceBytes: TRANSFORM_SOURCE_BYTES,
} as const;
