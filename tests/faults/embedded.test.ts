/**
 * Faults against `npm start` on the embedded Postgres, under steady ingest load, with a ledger of
 * every webhook that got a 2xx: SIGKILL of the worker, a web process, the dashboard and the
 * Postgres server, then a restart of Postgres in immediate mode, and a crash loop. Each fault must
 * be recovered from within its bound, and at the end every acknowledged webhook must have reached
 * the destination. The recovery times are printed (docs/resilience.md records them).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterDirectory, runPgCtl } from '@/lib/db/embedded-postgres';
import { type Sink, startSink } from '../support/sink';
import { type Launcher, startLauncher, until } from './support/launcher';
import { type Load, startLoad } from './support/load';

const INTAKE_BOUND_MS = 5000;
let launcher: Launcher;
let sink: Sink;
let load: Load;
const recovery: Record<string, string> = {};

const received = () => new Set(sink.received.map((request) => (JSON.parse(request.body.toString()) as { nonce: string }).nonce));

/** Kills a supervised process and waits until the launcher runs a new one; returns when the fault happened. */
async function killAndAwaitRestart(service: string): Promise<{ at: number; backAfterMs: number }> {
  const pid = launcher.pid(service);
  const at = Date.now();
  process.kill(pid, 'SIGKILL');
  await until(
    () => {
      const entry = launcher.status()?.services.find((candidate) => candidate.name === service);
      return entry?.state === 'running' && entry.pid !== pid;
    },
    60_000,
    `a new ${service} process`,
    50,
  );
  return { at, backAfterMs: Date.now() - at };
}

async function settle(ms: number) {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

beforeAll(async () => {
  sink = await startSink();
  launcher = await startLauncher();
  await launcher.ready();
  const source = await launcher.api<{ id: string; slug: string }>('POST', '/api/v1/sources', { name: 'Fault tests', provider: 'none' });
  const destination = await launcher.api<{ id: string }>('POST', '/api/v1/destinations', { name: 'Ledger sink', url: sink.url });
  expect([source.status, destination.status]).toEqual([201, 201]);
  const route = await launcher.api('POST', '/api/v1/routes', { sourceId: source.body.id, destinationId: destination.body.id });
  expect(route.status).toBe(201);
  load = startLoad(`${launcher.baseUrl}/api/ingest/${source.body.slug}`);
  await until(() => load.acknowledged().length >= 50, 30_000, 'steady intake');
}, 400_000);

afterAll(async () => {
  await load?.stop();
  console.log(
    `[faults] recovery on the embedded Postgres:\n${Object.entries(recovery)
      .map(([fault, what]) => `  ${fault}: ${what}`)
      .join('\n')}`,
  );
  await launcher?.stop();
  await sink?.close();
}, 120_000);

describe('npm start under steady ingest load', () => {
  it('SIGKILL of the worker: intake goes on, a new worker resumes the deliveries', async () => {
    const before = received().size;
    const { at, backAfterMs } = await killAndAwaitRestart('worker');
    await until(() => received().size > before + 20, 60_000, 'deliveries after the worker restart');
    await settle(1000);
    const outage = load.longestOutage(at, Date.now());
    recovery['worker SIGKILL'] = `new worker after ${backAfterMs} ms, deliveries flowing after ${Date.now() - at} ms, longest intake gap ${outage} ms`;
    expect(outage).toBeLessThan(1000);
  });

  it('SIGKILL of a web process: the other keeps the port, the launcher starts a new one', async () => {
    const { at, backAfterMs } = await killAndAwaitRestart('web-1');
    await settle(1000);
    const outage = load.longestOutage(at, Date.now());
    recovery['web process SIGKILL'] = `new web process after ${backAfterMs} ms, longest intake gap ${outage} ms`;
    expect(outage).toBeLessThan(INTAKE_BOUND_MS);
  });

  it('SIGKILL of the dashboard: its routes answer 503 with Retry-After meanwhile, ingest keeps answering', async () => {
    const pid = launcher.pid('dashboard');
    const at = Date.now();
    process.kill(pid, 'SIGKILL');
    const meanwhile = await until(
      async () => {
        const response = await fetch(`${launcher.baseUrl}/login`);
        return response.status === 503 ? response : null;
      },
      10_000,
      'a 503 from the dashboard routes',
      20,
    );
    expect(meanwhile.headers.get('retry-after')).toBe('5');
    await until(async () => (await fetch(`${launcher.baseUrl}/login`)).status === 200, 60_000, 'the dashboard to answer again', 100);
    const backAfterMs = Date.now() - at;
    const outage = load.longestOutage(at, Date.now());
    recovery['dashboard SIGKILL'] = `dashboard answering again after ${backAfterMs} ms, longest intake gap ${outage} ms`;
    expect(outage).toBeLessThan(1000);
  });

  it('SIGKILL of the embedded Postgres: 503 with Retry-After while it is gone, intake back within 5 s', async () => {
    const { at, backAfterMs } = await killAndAwaitRestart('postgres');
    await until(() => load.outcomes.some((outcome) => outcome.sentAt > at + backAfterMs && outcome.status === 202), 10_000, 'intake after the restart');
    await settle(1000);
    const outage = load.longestOutage(at, Date.now());
    recovery['postgres SIGKILL'] = `postgres back after ${backAfterMs} ms, intake back after ${outage} ms`;
    const refusals = load.outcomes.filter((outcome) => outcome.sentAt >= at && outcome.status !== 202);
    expect(refusals.filter((outcome) => outcome.status !== 0).every((outcome) => outcome.status === 503 && outcome.retryAfter === '5')).toBe(true);
    expect(outage).toBeLessThan(INTAKE_BOUND_MS);
  });

  it('a restart of the embedded Postgres in immediate mode needs no restart of any Hookyard process', async () => {
    const pids = ['web-1', 'web-2', 'dashboard', 'worker'].map((name) => launcher.pid(name));
    const clusterDir = await clusterDirectory(path.join(launcher.dataDir, 'pg'));
    const at = Date.now();
    const restarted = await runPgCtl(clusterDir, ['-l', path.join(launcher.dataDir, 'postgres.log'), '-m', 'immediate', '-w', 'restart']);
    expect(restarted.code, restarted.output).toBe(0);
    const returnedAt = Date.now();
    await until(() => load.outcomes.some((outcome) => outcome.sentAt > returnedAt && outcome.status === 202), 10_000, 'intake after the restart');
    await settle(1000);
    const firstAfter = load.outcomes.filter((outcome) => outcome.sentAt > returnedAt && outcome.status === 202).map((outcome) => outcome.doneAt);
    recovery['postgres restart -m immediate'] =
      `back after ${returnedAt - at} ms, intake normal ${Math.min(...firstAfter) - returnedAt} ms after its return, longest intake gap ${load.longestOutage(at, Date.now())} ms`;
    expect(Math.min(...firstAfter) - returnedAt).toBeLessThan(INTAKE_BOUND_MS);
    expect(['web-1', 'web-2', 'dashboard', 'worker'].map((name) => launcher.pid(name))).toEqual(pids);
  });

  it('every webhook that got a 2xx reached the destination', async () => {
    await load.stop();
    const acknowledged = load.acknowledged();
    expect(acknowledged.length).toBeGreaterThan(500);
    const missing = await until(
      () => {
        const seen = received();
        const left = acknowledged.filter((nonce) => !seen.has(nonce));
        return left.length === 0 ? [] : null;
      },
      120_000,
      'every acknowledged webhook at the sink',
      250,
    ).catch(() => acknowledged.filter((nonce) => !received().has(nonce)));
    recovery.ledger = `${acknowledged.length} acknowledged, ${received().size} distinct received, ${missing.length} missing`;
    expect(missing).toEqual([]);
  }, 180_000);

  it('a crash loop keeps being retried and shows in /api/health', async () => {
    for (let kill = 0; kill < 3; kill++) await killAndAwaitRestart('worker');
    const health = (await (await fetch(`${launcher.baseUrl}/api/health`)).json()) as { processes: { name: string; crashLoop: boolean; restarts: number }[] };
    expect(health.processes.find((entry) => entry.name === 'worker')).toMatchObject({ crashLoop: true });
    expect(launcher.output()).toMatch(/CRASH LOOP: the worker process has failed 3 times in a row \(last: signal SIGKILL\)/);
  }, 120_000);
});
