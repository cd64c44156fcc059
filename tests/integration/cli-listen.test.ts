/**
 * `hookyard events tail` and `hookyard listen` as a user runs them: the CLI in a subprocess,
 * against the /api/v1 route handlers (with the event stream) in a child process of their own
 * (tests/support/api-server-process.ts) that the test SIGKILLs and restarts on the same port,
 * while webhooks are ingested in this process (tests/support/ingest-server.ts), so events keep
 * being accepted while the API is down. Checks docs/cli.md: the lines and NDJSON on stdout, the
 * reconnection on stderr, a forwarded request byte for byte, every event exactly once and in
 * order across a restart, and the fatal errors (a wrong key, an unknown slug, a bad filter).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { db } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { type ApiServerProcess, startApiServerProcess } from '../support/api-server-process';
import { createTestSource } from '../support/fixtures';
import { type RunningIngestServer, startIngestServer } from '../support/ingest-server';

const BIN = join(process.cwd(), 'bin', 'hookyard.mjs');

let api: ApiServerProcess;
let ingest: RunningIngestServer;
let home: string;
let key: string;
let slug: string;
let sourceId: string;

/** A CLI that runs until it is stopped: its output so far, and its end. */
interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once `pattern` is on stderr (or the process ended: then it rejects). */
  stderrMatches(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
  stdoutLines(count: number, timeoutMs?: number): Promise<string[]>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  interrupt(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], extraEnv: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), ...loggedIn(), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let ended = false;
  void exit.then(() => (ended = true));
  const until = async (done: () => boolean, what: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (ended) throw new Error(`the CLI ended before ${what}; stdout: ${stdout}; stderr: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stdout: ${stdout}; stderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const lines = () => stdout.split('\n').filter((line) => line !== '');
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    stderrMatches: (pattern, timeoutMs = 20_000) =>
      until(() => (typeof pattern === 'string' ? stderr.includes(pattern) : pattern.test(stderr)), `${pattern} on stderr`, timeoutMs),
    stdoutLines: async (count, timeoutMs = 20_000) => {
      await until(() => lines().length >= count, `${count} lines on stdout`, timeoutMs);
      return lines();
    },
    exit,
    interrupt: () => (child.kill('SIGINT'), exit),
  };
}

/** A CLI run to its end. */
async function run(args: string[], extraEnv: Record<string, string> = {}) {
  const running = start(args, extraEnv);
  const { code } = await running.exit;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

const loggedIn = () => ({ HOOKYARD_URL: api.url, HOOKYARD_API_KEY: key });

let counter = 0;
async function ingestWebhook(input: { body?: Buffer | string; headers?: Record<string, string>; query?: string } = {}) {
  const n = ++counter;
  const body = input.body ?? JSON.stringify({ n, type: 'order.paid' });
  const response = await fetch(`${ingest.ingestUrl(slug)}${input.query ? `?${input.query}` : ''}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: { 'content-type': 'application/json', 'x-event-type': 'order.paid', 'x-delivery-id': `dlv_${n}`, ...input.headers },
  });
  expect(response.status).toBe(202);
  return { id: ((await response.json()) as { id: string }).id, body: Buffer.isBuffer(body) ? body : Buffer.from(body), n };
}

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The developer's local app: records every request, answers `status(request)`. */
async function startReceiver(status: (request: Received) => number = () => 200) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(request);
      res.writeHead(status(request)).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const waitFor = async (count: number, timeoutMs = 30_000) => {
    await expect.poll(() => received.length, { timeout: timeoutMs, interval: 25 }).toBeGreaterThanOrEqual(count);
    return received;
  };
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { url, received, waitFor, close };
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'hookyard-cli-listen-'));
  [api, ingest] = await Promise.all([startApiServerProcess(), startIngestServer('lean server')]);
  key = (await issueApiKey({ name: 'cli-listen', role: 'VIEWER' }, 'system')).key;
  const { source } = await createTestSource({ provider: 'none', settings: { eventTypeHeader: 'x-event-type', dedupHeader: 'x-delivery-id' } });
  slug = source.slug;
  sourceId = source.id;
});

afterAll(async () => {
  await api?.kill();
  await ingest?.close();
  await rm(home, { recursive: true, force: true });
  await closeSql();
  await db().$disconnect();
});

describe('events tail', () => {
  it('prints each newly accepted event, as a line and as NDJSON, until Ctrl-C (130)', async () => {
    const human = start(['events', 'tail', '--source-id', sourceId]);
    const json = start(['events', 'tail', '--source-id', sourceId, '--json']);
    await Promise.all([human.stderrMatches('connected; waiting for new events'), json.stderrMatches('connected; waiting for new events')]);
    const first = await ingestWebhook();
    const second = await ingestWebhook({ headers: { 'x-event-type': 'order.refunded' } });

    const lines = await human.stdoutLines(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z  ${slug}  order.paid  ${first.id} \\(dlv_${first.n}\\)  unverified  no-deliveries$`));
    expect(lines[1]).toContain(`  order.refunded  ${second.id} (dlv_${second.n})  `);

    const objects = (await json.stdoutLines(2)).map((line) => JSON.parse(line) as { id: string; eventType: string; source: { slug: string } });
    expect(objects.map((item) => item.id)).toEqual([first.id, second.id]);
    expect(objects[1]).toMatchObject({ eventType: 'order.refunded', source: { slug }, verification: 'unverified', dedupKey: `dlv_${second.n}` });

    for (const tail of [human, json]) {
      const { code } = await tail.interrupt();
      expect(code).toBe(130);
      expect(tail.stderr()).toMatch(/interrupted/);
      expect(tail.stderr()).not.toContain(key);
    }
  });

  it('35 s of silence (the server stopped, as a sleeping laptop sees it) is a lost connection: reconnects and catches up', async () => {
    const tail = start(['events', 'tail', '--source-id', sourceId, '--json']);
    await tail.stderrMatches('connected; waiting for new events');
    const before = await ingestWebhook();
    await tail.stdoutLines(1);
    api.child.kill('SIGSTOP'); // no byte any more, not even a keep-alive, and the connection stays open
    try {
      const during = await ingestWebhook();
      await tail.stderrMatches('connection lost: nothing received for 35s; reconnecting in 2s', 45_000);
      api.child.kill('SIGCONT');
      await tail.stderrMatches(`reconnected; resuming after ${before.id}`, 30_000);
      const ids = (await tail.stdoutLines(2)).map((line) => (JSON.parse(line) as { id: string }).id);
      expect(ids).toEqual([before.id, during.id]);
    } finally {
      api.child.kill('SIGCONT');
    }
    expect((await tail.interrupt()).code).toBe(130);
  }, 90_000);

  it('a wrong key and a bad filter: exit 1, the API message on stderr, stdout empty', async () => {
    const wrongKey = await run(['events', 'tail'], { HOOKYARD_API_KEY: 'hy_wrong' });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toBe('');
    expect(wrongKey.stderr).toMatch(/API key was refused \(401/);
    expect(wrongKey.stderr).not.toContain('hy_wrong');

    const badFilter = await run(['events', 'tail', '--status', 'nope', '--json']);
    expect(badFilter.code).toBe(1);
    expect(badFilter.stdout).toBe('');
    expect(badFilter.stderr).toMatch(/422 \w+: .*status/);

    const unknownId = await run(['events', 'tail', '--last-event-id', '00000000-0000-4000-8000-000000000000']);
    expect(unknownId.code).toBe(1);
    expect(unknownId.stdout).toBe('');
    expect(unknownId.stderr).toMatch(/404/);
  });
});

describe('listen', () => {
  it('forwards method, headers and body byte for byte, with the query string; reports a failing receiver and goes on', async () => {
    const receiver = await startReceiver((request) => (request.headers['x-event-type'] === 'order.failed' ? 503 : 200));
    const listen = start(['listen', '--source', slug, '--forward', `${receiver.url}/webhooks?local=1`, '--path-prefix', '/dev']);
    await listen.stderrMatches('connected; waiting for new events');

    const json = await ingestWebhook({ query: 'a=1&b=%20x', headers: { 'x-provider-signature': 'sig=abc, t=123', 'user-agent': 'Provider-Hookshot/1.0' } });
    // Not UTF-8: the API shows it base64-encoded, and listen must send the bytes themselves.
    const binary = await ingestWebhook({
      body: Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x0a, 0x7f]),
      headers: { 'content-type': 'application/octet-stream' },
    });
    const failing = await ingestWebhook({ headers: { 'x-event-type': 'order.failed' } });
    const got = await receiver.waitFor(3);

    expect(got[0]!.method).toBe('POST');
    expect(got[0]!.url).toBe('/dev/webhooks?local=1&a=1&b=%20x');
    expect(got[0]!.body.equals(json.body)).toBe(true);
    expect(got[0]!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-provider-signature': 'sig=abc, t=123',
      'user-agent': 'Provider-Hookshot/1.0',
      'x-delivery-id': `dlv_${json.n}`,
      'content-length': String(json.body.length),
    });
    expect(got[0]!.headers.host).toBe(new URL(receiver.url).host);
    expect(got[1]!.url).toBe('/dev/webhooks?local=1');
    expect(got[1]!.body.equals(binary.body)).toBe(true);
    expect(got[1]!.headers['content-type']).toBe('application/octet-stream');

    const lines = await listen.stdoutLines(3);
    expect(lines[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z  order.paid  ${json.id}  200  \\d+ms$`));
    expect(lines[1]).toMatch(new RegExp(`  ${binary.id}  200  \\d+ms$`));
    expect(lines[2]).toMatch(new RegExp(`  order.failed  ${failing.id}  503  \\d+ms$`));

    // The receiver is down: reported on the line, not retried, and the next event still goes.
    await receiver.close();
    const refused = await ingestWebhook();
    expect((await listen.stdoutLines(4))[3]).toMatch(new RegExp(`  ${refused.id}  ECONNREFUSED  \\d+ms$`));
    expect(receiver.received).toHaveLength(3);

    expect((await listen.interrupt()).code).toBe(130);
    expect(listen.stderr()).toContain(`Forwarding new events of ${slug} to ${receiver.url}/dev/webhooks?local=1`);
  });

  it('--json, across a killed and restarted API server: every event exactly once, in order', async () => {
    const receiver = await startReceiver();
    const listen = start(['listen', '--source', slug, '--forward', `${receiver.url}/hook`, '--json']);
    await listen.stderrMatches('connected; waiting for new events');
    const sent = [await ingestWebhook(), await ingestWebhook()];
    await receiver.waitFor(2);

    await api.kill();
    // Accepted while the API (and so the stream) is down.
    for (let i = 0; i < 3; i++) sent.push(await ingestWebhook());
    await listen.stderrMatches(/connection lost: .+; reconnecting in \S+s/);
    api = await startApiServerProcess(api.port);
    await listen.stderrMatches(`reconnected; resuming after ${sent[1]!.id}`, 60_000);
    await receiver.waitFor(5);
    sent.push(await ingestWebhook()); // live again
    await receiver.waitFor(6);
    // Nothing more arrives: no duplicate of a caught-up event.
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(receiver.received.map((request) => request.headers['x-delivery-id'])).toEqual(sent.map((event) => `dlv_${event.n}`));
    expect(receiver.received.map((request) => request.body.toString())).toEqual(sent.map((event) => event.body.toString()));
    const lines = (await listen.stdoutLines(6)).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.id)).toEqual(sent.map((event) => event.id));
    for (const line of lines) {
      expect(line).toEqual({
        time: expect.stringMatching(/^\d{4}-.+Z$/),
        type: 'order.paid',
        id: expect.any(String),
        status: 200,
        latencyMs: expect.any(Number),
      });
    }
    expect((await listen.interrupt()).code).toBe(130);
    expect(listen.stderr()).not.toContain(key);
    await receiver.close();
  }, 120_000);

  it('an unknown slug and a wrong key: exit 1, the message on stderr only, stdout empty', async () => {
    const unknown = await run(['listen', '--source', 'no-such-source', '--forward', 'http://127.0.0.1:1/x']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/No source with the slug "no-such-source"/);

    const wrongKey = await run(['listen', '--source', slug, '--forward', 'http://127.0.0.1:1/x'], { HOOKYARD_API_KEY: 'hy_wrong' });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toBe('');
    expect(wrongKey.stderr).toMatch(/API key was refused \(401/);

    const usage = await run(['listen', '--source', slug, '--forward', 'not a url']);
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');
  });

  it('--help of listen and events tail is complete, with examples; the program help lists both', async () => {
    const top = await run(['--help']);
    expect(top.stdout).toContain('listen');
    expect(top.stdout).not.toContain('Coming with the event stream');
    const listen = await run(['listen', '--help']);
    for (const option of ['--source', '--forward', '--path-prefix', '--json', 'Examples:']) expect(listen.stdout).toContain(option);
    const tail = await run(['events', 'tail', '--help']);
    for (const option of ['--source-id', '--status', '--event-type', '--q', 'Examples:']) expect(tail.stdout).toContain(option);
    const events = await run(['events', '--help']);
    expect(events.stdout).toContain('tail');
  });
});
