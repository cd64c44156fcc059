/**
 * `npm start` against a Postgres of its own (DATABASE_URL), which Hookyard does not manage: a
 * server that is not there yet at start-up is waited for, with a message that says so (and given
 * up on after HOOKYARD_DATABASE_WAIT_SECONDS); a restart in immediate mode under load needs no
 * restart of any Hookyard process, and every acknowledged webhook still reaches the destination.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import { ensureDatabase } from '@/lib/db/migrate';
import { type Sink, startSink } from '../support/sink';
import { freePort, type Launcher, startLauncher, until } from './support/launcher';
import { type Load, startLoad } from './support/load';

const KEYS = { HOOKYARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'), AUTH_SECRET: 'faults-auth-secret-faults-auth-secret-00' };
const PASSWORD = 'external-postgres-password';
let dir: string;
let port: number;
let postgres: EmbeddedPostgresHandle | undefined;
let launcher: Launcher | undefined;
let sink: Sink | undefined;
let load: Load | undefined;

const startPostgres = () => startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), password: PASSWORD, port });
const databaseUrl = () => `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/hookyard`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hookyard-external-pg-'));
  port = await freePort();
  postgres = await startPostgres();
  await ensureDatabase(postgres.url('postgres'), 'hookyard');
  await postgres.stop();
}, 120_000);

afterAll(async () => {
  await load?.stop();
  await launcher?.stop();
  await sink?.close();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('npm start with DATABASE_URL', () => {
  it('gives up with a clear message when the database never comes', async () => {
    const deadPort = await freePort();
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/start.ts'],
        {
          env: {
            ...process.env,
            ...KEYS,
            DATABASE_URL: `postgresql://postgres:x@127.0.0.1:${deadPort}/hookyard`,
            HOOKYARD_DATABASE_WAIT_SECONDS: '2',
            PORT: String(deadPort),
          },
        },
        (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `hookyard: Postgres at 127\\.0\\.0\\.1:${deadPort}/hookyard was not reachable for [23] s \\(connection refused\\); check DATABASE_URL and that the server is running`,
      ),
    );
  }, 60_000);

  it('waits for a database that is not there yet, then starts', async () => {
    launcher = await startLauncher({ ...KEYS, DATABASE_URL: databaseUrl() });
    await until(
      () => /cannot reach Postgres at 127\.0\.0\.1:\d+\/hookyard \(connection refused\); retrying for up to \d+ s more/.test(launcher!.output()),
      30_000,
      'the waiting message',
    );
    postgres = await startPostgres();
    await launcher.ready();
    expect(launcher.output()).toMatch(/Postgres at 127\.0\.0\.1:\d+\/hookyard is reachable now/);
  }, 400_000);

  it('a restart in immediate mode under load: 503 while it is gone, normal within 5 s of its return, nothing lost', async () => {
    sink = await startSink();
    const source = await launcher!.api<{ id: string; slug: string }>('POST', '/api/v1/sources', { name: 'External', provider: 'none' });
    const destination = await launcher!.api<{ id: string }>('POST', '/api/v1/destinations', { name: 'Ledger sink', url: sink.url });
    await launcher!.api('POST', '/api/v1/routes', { sourceId: source.body.id, destinationId: destination.body.id });
    load = startLoad(`${launcher!.baseUrl}/api/ingest/${source.body.slug}`);
    await until(() => load!.acknowledged().length >= 50, 30_000, 'steady intake');
    const pids = ['web-1', 'web-2', 'dashboard', 'worker'].map((name) => launcher!.pid(name));

    const at = Date.now();
    await postgres!.restart('immediate');
    const returnedAt = Date.now();
    await until(() => load!.outcomes.some((outcome) => outcome.sentAt > returnedAt && outcome.status === 202), 10_000, 'intake after the restart');
    const firstAfter = Math.min(...load.outcomes.filter((outcome) => outcome.sentAt > returnedAt && outcome.status === 202).map((outcome) => outcome.doneAt));
    console.log(`[faults] DATABASE_URL restart -m immediate: back after ${returnedAt - at} ms, intake normal ${firstAfter - returnedAt} ms after its return`);
    expect(firstAfter - returnedAt).toBeLessThan(5000);
    expect(
      load.outcomes.filter((outcome) => outcome.sentAt >= at && outcome.status !== 202 && outcome.status !== 0).every((outcome) => outcome.status === 503),
    ).toBe(true);
    expect(['web-1', 'web-2', 'dashboard', 'worker'].map((name) => launcher!.pid(name))).toEqual(pids);

    await new Promise((resolve) => setTimeout(resolve, 2000));
    await load.stop();
    const acknowledged = load.acknowledged();
    const received = () => new Set(sink!.received.map((request) => (JSON.parse(request.body.toString()) as { nonce: string }).nonce));
    await until(() => acknowledged.every((nonce) => received().has(nonce)), 120_000, 'every acknowledged webhook at the sink', 250);
  }, 240_000);
});
