/**
 * The transform sandbox: runs a route's `function transform(event) { … }` in QuickJS compiled to
 * WebAssembly (quickjs-emscripten), in a fresh runtime and context per call, so nothing one call
 * does (globals it sets, memory it holds) is seen by the next. Inside there is nothing but the
 * language itself, the event, and a `console.log` that only appends to this call's captured lines:
 * no network, file system, environment, timers, modules or host objects exist to reach.
 *
 * Limits per call (docs/transformations.md): 50 ms of the thread's CPU time (checked by QuickJS's
 * interrupt handler, covering compilation and the call; at most 20 times that in wall time), 16 MiB of memory (the runtime's own
 * allocator limit) and a 256 KiB stack (inside the WebAssembly stack, so deep recursion is a
 * catchable InternalError, not a crash of the host). Every handle is disposed before returning.
 *
 * Pure and synchronous once the WebAssembly module is loaded: the worker runs it off its event
 * loop (transform-pool.ts); the API calls it directly for save-time checks and test runs.
 */
import { getQuickJS, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule } from 'quickjs-emscripten';
import { type SandboxLimits, TRANSFORM_LIMITS, WALL_CAP_FACTOR } from './limits';
import { threadCpuMs } from './thread-cpu';

export { TRANSFORM_LIMITS };

const LOG_LINES = 50;
const LOG_LINE_CHARS = 1_000;
const MESSAGE_CHARS = 500;
/** The file name QuickJS gives the route's code in stack traces: how a line is found. */
const FILE = 'transform.js';
const DRIVER_FILE = 'hookyard-driver.js';

/** What a transform receives, and returns to have it sent. */
export interface TransformEvent {
  eventType: string | null;
  source: string;
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when the body is not JSON. */
  body: unknown;
}

export interface TransformFailure {
  message: string;
  /** The line of the route's code the error points at, when there is one. */
  line: number | null;
}

export type TransformRun =
  | { kind: 'send'; event: TransformEvent; logs: string[]; durationMs: number }
  | { kind: 'skip'; logs: string[]; durationMs: number }
  | ({ kind: 'error'; logs: string[]; durationMs: number } & TransformFailure);

export type { SandboxLimits };

let wasmModule: Promise<QuickJSWASMModule> | undefined;

/** Loads the WebAssembly module once per thread (about 10 ms); every call shares it, never a runtime. */
export function loadSandbox(): Promise<QuickJSWASMModule> {
  wasmModule ??= getQuickJS();
  return wasmModule;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The first line of the route's code in a QuickJS stack (`at transform (transform.js:3:9)`). */
function lineOf(stack: unknown, lineNumber: unknown): number | null {
  if (typeof stack === 'string') {
    const match = new RegExp(`${FILE.replace('.', '\\.')}:(\\d+)`).exec(stack);
    if (match) return Number(match[1]);
  }
  return typeof lineNumber === 'number' ? lineNumber : null;
}

/** Turns what QuickJS threw into a message a person can act on. */
function failureFrom(context: QuickJSContext, handle: QuickJSHandle, limits: SandboxLimits, timedOut: boolean): TransformFailure {
  let dumped: unknown;
  try {
    dumped = context.dump(handle);
  } catch {
    dumped = undefined;
  }
  const error = (dumped && typeof dumped === 'object' ? dumped : {}) as { name?: unknown; message?: unknown; stack?: unknown; lineNumber?: unknown };
  const line = lineOf(error.stack, error.lineNumber);
  const at = line === null ? '' : ` (line ${line})`;
  const text = typeof error.message === 'string' ? error.message : dumped === undefined ? 'unknown error' : String(JSON.stringify(dumped));
  if (timedOut || text === 'interrupted') return { message: `the transform ran over its ${limits.cpuMs} ms CPU limit${at}`, line };
  if (text === 'out of memory') return { message: `the transform ran over its ${Math.round(limits.memoryBytes / 1024 / 1024)} MiB memory limit${at}`, line };
  if (text === 'stack overflow') return { message: `stack overflow: recursion too deep${at}`, line };
  const name = typeof error.name === 'string' ? `${error.name}: ` : typeof dumped === 'object' ? '' : 'Uncaught ';
  return { message: clip(`${name}${text}${at}`, MESSAGE_CHARS), line };
}

/** `console.log` and friends append to this call's lines (bounded); nothing reaches the host's console. */
function installConsole(context: QuickJSContext, logs: string[]): void {
  const log = context.newFunction('log', (...args) => {
    if (logs.length >= LOG_LINES) return;
    const parts = args.map((arg) => {
      const type = context.typeof(arg);
      if (type === 'string') return context.getString(arg);
      try {
        return JSON.stringify(context.dump(arg)) ?? String(context.dump(arg));
      } catch {
        return `[${type}]`;
      }
    });
    logs.push(clip(parts.join(' '), LOG_LINE_CHARS));
  });
  const consoleObject = context.newObject();
  for (const name of ['log', 'info', 'warn', 'error', 'debug']) context.setProp(consoleObject, name, log);
  context.setProp(context.global, 'console', consoleObject);
  consoleObject.dispose();
  log.dispose();
}

/**
 * Runs after the route's code, in the same context: calls `transform` on the event and hands back
 * JSON text. The event crosses in and out as JSON, so no host object ever enters the sandbox. The
 * code may have replaced JSON or anything else in its own context; that changes only its own
 * answer, which the host validates (parseReturn).
 */
const DRIVER = `(() => {
  if (typeof transform !== 'function') throw new TypeError('the code does not define function transform(event)');
  const input = globalThis.__hookyardInput;
  delete globalThis.__hookyardInput;
  const result = transform(JSON.parse(input));
  if (result === null) return 'null';
  if (result !== undefined && result !== null && typeof result.then === 'function') throw new TypeError('transform returned a Promise; transforms are synchronous');
  const text = JSON.stringify(result);
  return text === undefined ? 'undefined' : text;
})()`;

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The returned value as an event to send, or why it is not one. */
export function parseReturn(text: string, input: TransformEvent): { event: TransformEvent } | { invalid: string } {
  if (text === 'undefined') return { invalid: 'transform returned undefined; return the event to send, or null to skip' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { invalid: 'transform returned something that is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { invalid: 'transform must return an event object or null' };
  const returned = value as Record<string, unknown>;
  if (returned.body === undefined) return { invalid: 'the returned event has no body' };
  let headers = input.headers;
  if (returned.headers !== undefined) {
    if (typeof returned.headers !== 'object' || returned.headers === null || Array.isArray(returned.headers))
      return { invalid: 'the returned headers must be an object of strings' };
    headers = {};
    for (const [name, headerValue] of Object.entries(returned.headers)) {
      if (!HEADER_NAME.test(name)) return { invalid: `the returned header name ${JSON.stringify(clip(name, 100))} is not a valid HTTP header name` };
      if (typeof headerValue !== 'string') return { invalid: `the returned header ${name} must be a string` };
      if (/[\r\n\0]/.test(headerValue)) return { invalid: `the returned header ${name} contains a line break or NUL` };
      headers[name.toLowerCase()] = headerValue;
    }
  }
  return { event: { eventType: input.eventType, source: input.source, headers, body: returned.body } };
}

/**
 * Compiles and runs the route's code on one event, inside the limits. Never throws for anything
 * the code does; an exception here means the sandbox itself is broken.
 */
export function runTransformSync(
  quickjs: QuickJSWASMModule,
  source: string,
  event: TransformEvent | null,
  limits: SandboxLimits = TRANSFORM_LIMITS,
): TransformRun {
  const started = performance.now();
  const logs: string[] = [];
  const finish = <T extends object>(result: T) => ({ ...result, logs, durationMs: Math.round((performance.now() - started) * 100) / 100 });
  const runtime = quickjs.newRuntime();
  try {
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    // CPU time, read only once wall time (never less) has passed the limit (thread-cpu.ts); and a
    // wall-time cap, so that a starved thread still gives up in the end.
    const startedAt = Date.now();
    const cpuAtStart = threadCpuMs();
    let nextCheck = startedAt + limits.cpuMs;
    let timedOut = false;
    runtime.setInterruptHandler(() => {
      if (timedOut) return true;
      const now = Date.now();
      if (now <= nextCheck) return false;
      const cpuNow = cpuAtStart === null ? null : threadCpuMs();
      const used = cpuNow === null || cpuAtStart === null ? now - startedAt : cpuNow - cpuAtStart;
      if (used >= limits.cpuMs || now - startedAt >= limits.cpuMs * WALL_CAP_FACTOR) timedOut = true;
      else nextCheck = now + Math.max(1, limits.cpuMs - used);
      return timedOut;
    });
    const context = runtime.newContext();
    try {
      installConsole(context, logs);
      const compiled = context.evalCode(source, FILE);
      if (compiled.error) {
        const failure = failureFrom(context, compiled.error, limits, timedOut);
        compiled.error.dispose();
        return finish({ kind: 'error' as const, ...failure });
      }
      compiled.value.dispose();
      // A save-time check: the code compiles, its top level runs, and it defines transform.
      const input = event ?? { eventType: 'hookyard.check', source: 'check', headers: {}, body: {} };
      const inputHandle = context.newString(JSON.stringify(input));
      context.setProp(context.global, '__hookyardInput', inputHandle);
      inputHandle.dispose();
      const driver = event
        ? DRIVER
        : `(() => { if (typeof transform !== 'function') throw new TypeError('the code does not define function transform(event)'); return 'null'; })()`;
      const ran = context.evalCode(driver, DRIVER_FILE);
      if (ran.error) {
        const failure = failureFrom(context, ran.error, limits, timedOut);
        ran.error.dispose();
        return finish({ kind: 'error' as const, ...failure });
      }
      const text = context.typeof(ran.value) === 'string' ? context.getString(ran.value) : 'undefined';
      ran.value.dispose();
      if (text === 'null') return finish({ kind: 'skip' as const });
      const parsed = parseReturn(text, input);
      if ('invalid' in parsed) return finish({ kind: 'error' as const, message: parsed.invalid, line: null });
      return finish({ kind: 'send' as const, event: parsed.event });
    } finally {
      context.dispose();
    }
  } finally {
    runtime.dispose();
  }
}

/** Runs one transform in this thread (the API's test runs; the worker uses transform-pool.ts). */
export async function runTransform(source: string, event: TransformEvent, limits: SandboxLimits = TRANSFORM_LIMITS): Promise<TransformRun> {
  return runTransformSync(await loadSandbox(), source, event, limits);
}

/** At save time: null when the code compiles and defines transform, else why not (with the line). */
export async function checkTransformSource(source: string): Promise<TransformFailure | null> {
  const run = runTransformSync(await loadSandbox(), source, null);
  return run.kind === 'error' ? { message: run.message, line: run.line } : null;
}
