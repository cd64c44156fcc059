import { threadCpuMs } from '@/lib/transforms/thread-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTransformSource, runTransform, type TransformEvent, TRANSFORM_LIMITS } from '@/lib/transforms/sandbox';
import { createTransformPool, HARD_LIMIT_MS } from '@/lib/transforms/transform-pool';

// The worker runs transforms in this pool (lib/transforms/transform-pool.ts): the limits are checked through it.
const pool = createTransformPool({ size: 1 });
afterAll(() => pool.close());

const event: TransformEvent = {
  eventType: 'order.created',
  source: 'shop',
  headers: { 'content-type': 'application/json', 'x-shop': 'one' },
  body: { id: 'ord_1', amount: 1250, customer: { email: 'a@example.com' } },
};

// A thread's start (tsx and the WebAssembly module, about 0.3 s) is paid once, before any timing.
beforeAll(async () => {
  await pool.run('function transform(e) { return e }', event);
});

/** Every failure must come back inside the pool's hard limit (the CPU limit, plus set-up), plus a busy machine's margin (a replaced thread took 1.69 s with two test suites at once). */
const WITHIN_MS = HARD_LIMIT_MS + 500;

async function expectTransformError(source: string, message: RegExp) {
  const started = performance.now();
  const run = await pool.run(source, event);
  const elapsed = performance.now() - started;
  expect(run.kind).toBe('error');
  if (run.kind === 'error') expect(run.message).toMatch(message);
  expect(elapsed).toBeLessThan(WITHIN_MS);
  return run;
}

describe('the transform sandbox', () => {
  it('sends a changed body and headers', async () => {
    const run = await runTransform(
      `function transform(event) {
        event.body = { orderId: event.body.id, cents: event.body.amount, type: event.eventType, from: event.source };
        event.headers['x-transformed'] = 'yes';
        delete event.headers['x-shop'];
        return event;
      }`,
      event,
    );
    expect(run).toMatchObject({
      kind: 'send',
      event: {
        body: { orderId: 'ord_1', cents: 1250, type: 'order.created', from: 'shop' },
        headers: { 'content-type': 'application/json', 'x-transformed': 'yes' },
      },
    });
    if (run.kind === 'send') expect(run.event.headers).not.toHaveProperty('x-shop');
  });

  it('passes a non-JSON body as text and sends a returned string as is', async () => {
    const run = await runTransform('function transform(e) { return { body: e.body.toUpperCase() + typeof e.body } }', { ...event, body: 'a=1&b=2' });
    expect(run).toMatchObject({ kind: 'send', event: { body: 'A=1&B=2string', headers: event.headers } });
  });

  it('skips on null, and captures console.log for the test answer', async () => {
    const run = await runTransform('function transform(e) { console.log("amount", e.body.amount, {a: 1}); return null }', event);
    expect(run).toMatchObject({ kind: 'skip', logs: ['amount 1250 {"a":1}'] });
  });

  it('reports a thrown error with its line', async () => {
    const run = await expectTransformError('function transform(e) {\n  const x = 1;\n  throw new Error("no customer");\n}', /Error: no customer \(line 3\)/);
    expect(run).toMatchObject({ line: 3 });
    await expectTransformError('function transform(e) {\n  return e.nope.deeper;\n}', /TypeError: .*\(line 2\)/);
    await expectTransformError('function transform(e) { throw "plain" }', /plain/);
  });

  it('reports a syntax error with its line, and code without transform', async () => {
    expect(await checkTransformSource('function transform(e) {\n  return {\n}')).toMatchObject({
      message: expect.stringMatching(/SyntaxError/),
      line: expect.any(Number),
    });
    expect(await checkTransformSource('function transform(e) {\n  let = ;\n}')).toMatchObject({ line: 2 });
    expect(await checkTransformSource('function transfrom(e) { return e }')).toMatchObject({
      message: expect.stringMatching(/does not define function transform/),
    });
    expect(await checkTransformSource('const transform = (e) => e;')).toBeNull();
    expect(await checkTransformSource('function transform(e) { return e }')).toBeNull();
  });

  it('stops while (true) {} at the CPU limit', async () => {
    const run = await expectTransformError('function transform(e) { while (true) {} }', /50 ms CPU limit/);
    expect(run.durationMs).toBeGreaterThanOrEqual(TRANSFORM_LIMITS.cpuMs - 1);
    // At the top level too (the limit covers compiling and running the code).
    await expectTransformError('while (true) {}\nfunction transform(e) { return e }', /CPU limit/);
  });

  it('stops deep recursion and huge allocations', async () => {
    await expectTransformError('function transform(e) { const f = (n) => f(n + 1) + 1; return f(0) }', /stack overflow/);
    // fill() of a sparse array never reaches QuickJS's interrupt check: the pool's watchdog stops it.
    const replacedBefore = pool.replaced;
    await expectTransformError('function transform(e) { const a = []; for (;;) a.push(new Array(100000).fill(1)); }', /memory limit|CPU limit/);
    expect(pool.replaced).toBe(replacedBefore + 1);
    // The replacement thread serves the next call.
    expect(await pool.run('function transform(e) { return { body: 1 } }', event)).toMatchObject({ kind: 'send', event: { body: 1 } });
    await expectTransformError('function transform(e) { return { body: "x".repeat(64 * 1024 * 1024) } }', /memory limit/);
    await expectTransformError('function transform(e) { return { body: new ArrayBuffer(64 * 1024 * 1024).byteLength } }', /memory limit|RangeError/);
  });

  it('has no process, require, fetch, module loader or host globals', async () => {
    await expectTransformError('function transform(e) { return { body: process.env } }', /ReferenceError: .*process/);
    await expectTransformError('function transform(e) { return { body: require("fs").readFileSync("/etc/passwd", "utf8") } }', /ReferenceError: .*require/);
    await expectTransformError('function transform(e) { return fetch("http://127.0.0.1/") }', /ReferenceError: .*fetch/);
    await expectTransformError('function transform(e) { return import("node:fs") }', /Promise|not/);
    await expectTransformError('function transform(e) { return { body: Deno } }', /ReferenceError/);
    await expectTransformError('function transform(e) { setTimeout(() => 1, 1); return e }', /ReferenceError: .*setTimeout/);
    // Everything reachable from globalThis is the language's own, plus the captured console.
    const run = await runTransform(
      `function transform(e) {
        const names = Object.getOwnPropertyNames(globalThis).filter((n) => n !== 'transform');
        const fnSource = String(Function.prototype.constructor('return typeof globalThis.process')());
        return { body: { names, fnSource, std: typeof std, os: typeof os, wasm: typeof WebAssembly } };
      }`,
      event,
    );
    expect(run.kind).toBe('send');
    if (run.kind !== 'send') return;
    const body = run.event.body as { names: string[]; fnSource: string; std: string; os: string; wasm: string };
    // The language's own globals (as Node has them, plus the few newer ones QuickJS already has), and the captured console.
    const language = new Set([...Object.getOwnPropertyNames(globalThis), 'console', 'InternalError', 'Iterator', 'Float16Array']);
    const hostLike = body.names.filter((name) => !language.has(name));
    expect(hostLike).toEqual([]);
    expect(body.names).not.toContain('process');
    expect(body.names).not.toContain('require');
    expect(body.names).not.toContain('fetch');
    expect(body).toMatchObject({ fnSource: 'undefined', std: 'undefined', os: 'undefined', wasm: 'undefined' });
  });

  it('treats invalid returns as errors', async () => {
    await expectTransformError('function transform(e) { }', /returned undefined/);
    await expectTransformError('function transform(e) { return 42 }', /must return an event object or null/);
    await expectTransformError('function transform(e) { return [e] }', /must return an event object or null/);
    await expectTransformError('function transform(e) { return { headers: {} } }', /no body/);
    await expectTransformError('function transform(e) { return { body: 1, headers: { a: 1 } } }', /header a must be a string/);
    await expectTransformError('function transform(e) { return { body: 1, headers: { "bad name": "x" } } }', /not a valid HTTP header name/);
    await expectTransformError('function transform(e) { return { body: 1, headers: { a: "x\\r\\ny: z" } } }', /line break/);
    await expectTransformError('function transform(e) { return Promise.resolve(e) }', /Promise/);
    await expectTransformError('function transform(e) { const a = {}; a.a = a; return { body: a } }', /circular|cyclic/i);
  });

  it('keeps nothing between calls', async () => {
    const source = 'var count = (globalThis.count || 0) + 1; globalThis.count = count; function transform(e) { return { body: count } }';
    for (let i = 0; i < 3; i++) expect(await runTransform(source, event)).toMatchObject({ kind: 'send', event: { body: 1 } });
  });

  it('runs a thousand failing transforms without memory growth', async () => {
    const failing = [
      'function transform(e) { throw new Error("x".repeat(1000)) }',
      'function transform(e) { return { body: "y".repeat(64 * 1024 * 1024) } }',
      'function transform(e) { while (true) {} }',
      'function transform(e) { return e.a.b }',
      'function transform(e) {',
    ];
    const round = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const run = await runTransform(failing[i % failing.length]!, event, { ...TRANSFORM_LIMITS, cpuMs: 5 });
        expect(run.kind).toBe('error');
      }
    };
    await round(100); // warm up: the WebAssembly heap grows to its working size once
    global.gc?.();
    const before = process.memoryUsage().rss;
    await round(1000);
    global.gc?.();
    const grown = process.memoryUsage().rss - before;
    // Each call allocates up to its 16 MiB inside the WebAssembly heap; a leak of even a few KiB
    // per call would show as tens of MiB here.
    expect(grown).toBeLessThan(24 * 1024 * 1024);
  }, 60_000);
});

describe('the CPU clock behind the limit', () => {
  it("counts this thread's CPU time, not time spent waiting", () => {
    const before = threadCpuMs();
    if (before === null) return; // not Linux: the sandbox falls back to wall time
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120); // 120 ms asleep
    const asleep = threadCpuMs()! - before;
    const busyFrom = threadCpuMs()!;
    const until = performance.now() + 120;
    while (performance.now() < until) {
      // 120 ms busy
    }
    const busy = threadCpuMs()! - busyFrom;
    expect(asleep).toBeLessThan(40);
    expect(busy).toBeGreaterThanOrEqual(60);
  });
});
