import { runTransform, TRANSFORM_LIMITS } from './lib/transforms/sandbox';
const ev = { eventType: 'a', source: 's', headers: {}, body: { a: 1 } };
const cases = {
  trivial: 'function transform(e) { return e }',
  throw: 'function transform(e) { throw new Error("x") }',
  pushrepeat: 'function transform(e) { const a = []; for (;;) a.push("y".repeat(10000)) }',
  arrays: 'function transform(e) { const a = []; for (;;) a.push(new Array(100000).fill(1)); }',
  repeat: 'function transform(e) { return { body: "x".repeat(64 * 1024 * 1024) } }',
  ab: 'function transform(e) { return { body: new ArrayBuffer(64 * 1024 * 1024).byteLength } }',
  rec: 'function transform(e) { const f = (n) => f(n + 1) + 1; return f(0) }',
};
await runTransform(cases.trivial, ev);
for (const [name, src] of Object.entries(cases)) {
  const t = performance.now();
  let r; for (let i = 0; i < 5; i++) r = await runTransform(src, ev, { ...TRANSFORM_LIMITS, cpuMs: name === 'pushrepeat' ? 5 : 50 });
  console.log(name, ((performance.now() - t) / 5).toFixed(2), 'ms', r.kind, (r as any).message);
}
