/**
 * The body of one sandbox thread (transform-pool.ts): it loads the sandbox (TypeScript, through
 * tsx, as every Hookyard process runs) and runs one transform per message, in order. Plain
 * JavaScript so that a thread starts the same way under tsx, vitest and the Next.js server.
 */
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { loadSandbox, runTransformSync } = await tsImport('./sandbox.ts', import.meta.url);
const quickjs = await loadSandbox();

parentPort.on('message', ({ id, source, event, limits }) => {
  let run;
  try {
    run = runTransformSync(quickjs, source, event, limits);
  } catch (error) {
    run = { kind: 'error', message: `the sandbox failed: ${error instanceof Error ? error.message : String(error)}`, line: null, logs: [], durationMs: 0 };
  }
  parentPort.postMessage({ id, run });
});
parentPort.postMessage({ ready: true });
