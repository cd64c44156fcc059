/**
 * The `hookyard` CLI as a user runs it: `node bin/hookyard.mjs …` in a subprocess, with HOME and
 * XDG_CONFIG_HOME in a temporary folder, against a real HTTP server of the /api/v1 route handlers
 * (tests/support/api-server.ts) on this file's database. Checks the contract of docs/cli.md:
 * tables or exactly one JSON document on stdout, every message on stderr, the exit codes, the
 * 0600 config file, and replays (one event, a dry run, a followed bulk replay, Ctrl-C).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { processBulkReplays } from '@/lib/replay/bulk-replay-runner';
import { type RunningApiServer, startApiServer } from '../support/api-server';
import { createTestDestination, createTestEvent, createTestSource } from '../support/fixtures';

const BIN = join(process.cwd(), 'bin', 'hookyard.mjs');
const MISSING = '00000000-0000-4000-8000-000000000000';

let server: RunningApiServer;
let home: string;
let key: string;
let sourceId: string;
let sourceSlug: string;
let destinationId: string;
let eventIds: string[];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Only what the CLI needs: nothing of the test's own environment (database, keys) leaks in. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { NODE_ENV: 'production', PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), ...extra };
}

/** Runs the CLI; `onStderr` sees stderr as it comes (to interrupt it at the right moment). */
function cli(args: string[], extraEnv: Record<string, string> = {}, onStderr?: (text: string, child: ChildProcess) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const loggedIn = () => ({ HOOKYARD_URL: server.url, HOOKYARD_API_KEY: key });

beforeAll(async () => {
  server = await startApiServer();
  home = await mkdtemp(join(tmpdir(), 'hookyard-cli-'));
  key = (await issueApiKey({ name: 'cli', role: 'ADMIN' }, 'system')).key;
  const { source } = await createTestSource({ provider: 'none' });
  sourceId = source.id;
  sourceSlug = source.slug;
  destinationId = (await createTestDestination({ url: 'http://127.0.0.1:9/cli' })).id;
  const first = await createTestEvent({ sourceId, destinationIds: [destinationId], eventType: 'order.created', receivedAt: new Date(Date.now() - 2000) });
  const second = await createTestEvent({ sourceId, destinationIds: [destinationId], eventType: 'order.paid', body: '{"id":"evt_cli","type":"order.paid"}' });
  // Finished deliveries, so that a bulk replay matches them.
  await db().delivery.updateMany({ where: { destinationId }, data: { status: 'failed' } });
  eventIds = [second.id, first.id];
});

afterAll(async () => {
  await server?.close();
  await rm(home, { recursive: true, force: true });
  await closeSql();
  await db().$disconnect();
});

describe('login', () => {
  it('refuses a wrong key before storing anything: exit 1, the message on stderr only', async () => {
    const run = await cli(['login', '--url', server.url, '--key', 'hy_wrong']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/API key was refused \(401/);
    expect(run.stderr).not.toContain('hy_wrong'); // a key is never echoed
    await expect(stat(join(home, 'config', 'hookyard', 'config.json'))).rejects.toThrow(/ENOENT/);
  });

  it('stores the URL and key in a 0600 file of a 0700 folder, and later commands use it', async () => {
    const run = await cli(['login', '--url', `${server.url}/`, '--key', key]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Logged in to ${server.url}`);
    expect(run.stderr).not.toContain(key);
    const file = join(home, 'config', 'hookyard', 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'config', 'hookyard'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: server.url, key });

    const list = await cli(['sources', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).data.map((row: { id: string }) => row.id)).toContain(sourceId);
    // The environment overrides the file: a wrong key there is refused.
    const overridden = await cli(['sources', 'list'], { HOOKYARD_API_KEY: 'hy_wrong' });
    expect(overridden.code).toBe(1);
    expect(overridden.stdout).toBe('');
    expect(overridden.stderr).toMatch(/API key was refused/);
  });
});

describe('lists and get', () => {
  it('sources list: a table, or the API answer as JSON; nothing on stderr', async () => {
    const human = await cli(['sources', 'list'], loggedIn());
    expect(human.code).toBe(0);
    expect(human.stderr).toBe('');
    expect(human.stdout.split('\n')[0]).toMatch(/^ID\s+SLUG\s+NAME\s+PROVIDER\s+STATUS/);
    expect(human.stdout).toContain(sourceSlug);

    const json = await cli(['sources', 'list', '--json'], loggedIn());
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const body = JSON.parse(json.stdout);
    expect(body.data.find((row: { id: string }) => row.id === sourceId)).toMatchObject({ slug: sourceSlug, provider: 'none' });
  });

  it('destinations list', async () => {
    const json = await cli(['--json', 'destinations', 'list'], loggedIn());
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout).data.map((row: { id: string }) => row.id)).toContain(destinationId);
    const human = await cli(['destinations', 'list'], loggedIn());
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(destinationId);
  });

  it('events list with filters, pages and --all', async () => {
    const json = await cli(['events', 'list', '--source-id', sourceId, '--json'], loggedIn());
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const page = JSON.parse(json.stdout);
    expect(page.data.map((row: { id: string }) => row.id)).toEqual(eventIds);
    expect(page.nextCursor).toBeNull();

    const typed = await cli(['events', 'list', '--source-id', sourceId, '--event-type', 'order.paid', '--json'], loggedIn());
    expect(JSON.parse(typed.stdout).data.map((row: { id: string }) => row.id)).toEqual([eventIds[0]]);
    const searched = await cli(['events', 'list', '--source-id', sourceId, '--q', 'id=evt_cli', '--json'], loggedIn());
    expect(JSON.parse(searched.stdout).data.map((row: { id: string }) => row.id)).toEqual([eventIds[0]]);

    const human = await cli(['events', 'list', '--source-id', sourceId], loggedIn());
    expect(human.code).toBe(0);
    expect(human.stderr).toBe('');
    expect(human.stdout).toContain('order.paid');
    expect(human.stdout).toContain('failed:1');

    // One per page: the next cursor is a hint on stderr; --all follows it into one document.
    const first = await cli(['events', 'list', '--source-id', sourceId, '--limit', '1'], loggedIn());
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(eventIds[0]);
    expect(first.stdout).not.toContain(eventIds[1]);
    expect(first.stderr).toMatch(/More events: --cursor \S+/);
    const all = await cli(['events', 'list', '--source-id', sourceId, '--limit', '1', '--all', '--json'], loggedIn());
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ data: expect.any(Array), nextCursor: null });
    expect(JSON.parse(all.stdout).data.map((row: { id: string }) => row.id)).toEqual(eventIds);
  });

  it('events get: the event, as fields or as the API answer', async () => {
    const json = await cli(['events', 'get', eventIds[0]!, '--json'], loggedIn());
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ id: eventIds[0], eventType: 'order.paid' });

    const human = await cli(['events', 'get', eventIds[0]!], loggedIn());
    expect(human.code).toBe(0);
    expect(human.stderr).toBe('');
    expect(human.stdout).toMatch(new RegExp(`^id\\s+${eventIds[0]}`, 'm'));
    expect(human.stdout).toContain('evt_cli');
  });

  it('a missing id, a wrong key, bad usage and no credentials: non-zero, stdout empty, a message on stderr', async () => {
    const missing = await cli(['events', 'get', MISSING, '--json'], loggedIn());
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/Not found \(404 not_found\)/);

    const wrongKey = await cli(['events', 'list', '--json'], { ...loggedIn(), HOOKYARD_API_KEY: 'hy_not_a_key' });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toBe('');
    expect(wrongKey.stderr).toMatch(/API key was refused \(401/);

    const invalid = await cli(['events', 'list', '--status', 'nope', '--json'], loggedIn());
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toMatch(/422 \w+: .*status/);

    const usage = await cli(['events', 'list', '--limit', 'many'], loggedIn());
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toContain('Not a positive integer');
    expect((await cli(['no-such-command'], loggedIn())).code).toBe(2);

    const nowhere = await cli(['sources', 'list'], { XDG_CONFIG_HOME: join(home, 'empty') });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stdout).toBe('');
    expect(nowhere.stderr).toMatch(/Not logged in/);
  });

  it('--help of the program and of a command is complete, with examples', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['login', 'sources', 'destinations', 'events', 'replay']) expect(top.stdout).toContain(command);
    expect(top.stdout).toContain('Examples:');
    const replay = await cli(['replay', '--help']);
    expect(replay.code).toBe(0);
    for (const option of ['--dry-run', '--destination-id', '--status', '--event-type', '--from', '--to', '--q', '--everything'])
      expect(replay.stdout).toContain(option);
    const list = await cli(['events', 'list', '--help']);
    for (const option of ['--source-id', '--limit', '--cursor', '--all']) expect(list.stdout).toContain(option);
  });
});

describe('replay', () => {
  it('--dry-run counts what a filter matches, and creates nothing', async () => {
    const before = await db().delivery.count({ where: { destinationId } });
    const human = await cli(['replay', '--destination-id', destinationId, '--status', 'failed', '--dry-run'], loggedIn());
    expect(human.code).toBe(0);
    expect(human.stderr).toBe('');
    expect(human.stdout.trim()).toBe('2 deliveries would be replayed');
    const json = await cli(['replay', '--destination-id', destinationId, '--event-type', 'order.paid', '--dry-run', '--json'], loggedIn());
    expect(JSON.parse(json.stdout)).toEqual({ count: 1 });
    expect(await db().delivery.count({ where: { destinationId } })).toBe(before);
    expect(await db().replay.count()).toBe(0);
    // An empty filter is the API's 422, shown as such.
    const empty = await cli(['replay', '--dry-run'], loggedIn());
    expect(empty.code).toBe(1);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/422 .*empty filter/i);
  });

  it('one event: 202, a new queued delivery, recorded in the audit log', async () => {
    const run = await cli(['replay', eventIds[1]!, '--json'], loggedIn());
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const answer = JSON.parse(run.stdout) as { deliveries: string[]; skipped: unknown[] };
    expect(answer.deliveries).toHaveLength(1);
    const delivery = await db().delivery.findUniqueOrThrow({ where: { id: answer.deliveries[0]! } });
    expect(delivery).toMatchObject({ eventId: eventIds[1], destinationId, status: 'pending' });
    expect(await db().auditLog.count({ where: { action: 'event.replay', targetId: eventIds[1], actorType: 'api_key' } })).toBe(1);

    const human = await cli(['replay', eventIds[1]!, '--destination-id', destinationId], loggedIn());
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^1 deliveries queued: \S+/);
    const missing = await cli(['replay', MISSING], loggedIn());
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/404/);
    const mixed = await cli(['replay', eventIds[1]!, '--dry-run'], loggedIn());
    expect(mixed.code).toBe(2);
  });

  it('Ctrl-C cancels the replay on the server and exits 130', async () => {
    let interrupted = false;
    const run = await cli(['replay', '--destination-id', destinationId, '--status', 'failed'], loggedIn(), (stderr, child) => {
      if (!interrupted && /\d+\/\d+ .*pending/.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    expect(interrupted).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Interrupted: cancelling replay/);
    const id = /Replay (\S+) started/.exec(run.stderr)![1]!;
    expect((await db().replay.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled');
  });
  it('a filter: creates the replay, shows progress on stderr until it completes', async () => {
    let running = true;
    const ticks = (async () => {
      while (running) {
        await processBulkReplays(sql());
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const run = await cli(['replay', '--destination-id', destinationId, '--event-type', 'order.paid', '--json'], loggedIn());
    running = false;
    await ticks;
    expect(run.stderr).toMatch(/Replay \S+ started: 1 deliveries/);
    expect(run.stderr).toMatch(/\[#+\] 1\/1 \(100%\) completed/);
    expect(run.code).toBe(0);
    const finished = JSON.parse(run.stdout);
    expect(finished).toMatchObject({ status: 'completed', total: 1, processed: 1 });
    expect(await db().delivery.count({ where: { replayId: finished.id } })).toBe(1);
  });
});
