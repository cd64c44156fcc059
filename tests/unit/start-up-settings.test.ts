/**
 * A typo in a tunable stops the process at start-up with one line naming the setting. It used
 * to hang the service silently: HOOKYARD_INGEST_MAX_BATCH=abc formed no batch ever, and every
 * ingest request waited forever; HOOKYARD_WORKER_CONCURRENCY=abc stopped the worker the same way.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookyard-settings-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', script],
      { env: { ...process.env, HOOKYARD_DATA_DIR: dataDir, ...env }, timeout: 60_000 },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

const keys = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none',
  HOOKYARD_MASTER_KEY: Buffer.alloc(32, 3).toString('base64'),
  AUTH_SECRET: 'b'.repeat(40),
};

it('npm start refuses HOOKYARD_INGEST_MAX_BATCH=abc before starting anything', async () => {
  const env = { ...process.env } as Record<string, string>;
  const result = await run('scripts/start.ts', { HOOKYARD_INGEST_MAX_BATCH: 'abc', DATABASE_URL: env.DATABASE_URL ?? '' });
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toBe('hookyard: HOOKYARD_INGEST_MAX_BATCH: "abc" is not a whole number from 1 to 10000; e.g. HOOKYARD_INGEST_MAX_BATCH=500');
}, 60_000);

it('npm run worker refuses HOOKYARD_WORKER_CONCURRENCY=abc', async () => {
  const result = await run('scripts/worker.ts', { ...keys, HOOKYARD_WORKER_CONCURRENCY: 'abc' });
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toBe(
    'hookyard worker: HOOKYARD_WORKER_CONCURRENCY: "abc" is not a whole number from 1 to 10000; e.g. HOOKYARD_WORKER_CONCURRENCY=200',
  );
}, 60_000);
