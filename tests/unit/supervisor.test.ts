/**
 * The launcher's supervisor (lib/supervisor/supervisor.ts) with stand-in services whose
 * processes end when a test says so, and a fast restart policy: restarts with backoff, a crash
 * loop that keeps being retried and clears after a healthy spell, and a stop that restarts
 * nothing and goes group by group. The real processes are killed in tests/faults.
 */
import { describe, expect, it } from 'vitest';
import { failuresAfterExit, isCrashLoop, restartDelayMs, type RestartPolicy } from '@/lib/supervisor/restart-policy';
import { type RunningProcess, type ServiceDefinition, Supervisor } from '@/lib/supervisor/supervisor';

const FAST: RestartPolicy = { initialDelayMs: 10, maxDelayMs: 80, healthyAfterMs: 300, crashLoopAfter: 3 };

interface Fake {
  definition: ServiceDefinition;
  starts: number[];
  /** Ends the current process "on its own". */
  crash(how?: string): void;
  stopped: string[];
  failNextStarts: number;
}

function fakeService(name: string, order: string[] = []): Fake {
  let end: ((how: string) => void) | null = null;
  const fake: Fake = {
    starts: [],
    stopped: [],
    failNextStarts: 0,
    crash: (how = 'code 1') => end?.(how),
    definition: {
      name,
      async start() {
        fake.starts.push(Date.now());
        if (fake.failNextStarts > 0) {
          fake.failNextStarts--;
          throw new Error('cannot bind');
        }
        const exited = new Promise<string>((resolve) => (end = resolve));
        const running: RunningProcess = {
          pid: 1000 + fake.starts.length,
          exited,
          async stop() {
            order.push(name);
            fake.stopped.push(name);
            end?.('stopped');
            await exited;
          },
        };
        return running;
      },
    },
  };
  return fake;
}

const until = async (check: () => boolean, what: string, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

describe('restart policy', () => {
  it('starts under a second, doubles, is capped at 30 s, and a healthy minute starts over', () => {
    expect(restartDelayMs(1)).toBeLessThan(1000);
    expect(restartDelayMs(2)).toBe(2 * restartDelayMs(1));
    expect(restartDelayMs(50)).toBe(30_000);
    expect(failuresAfterExit(5, 59_000)).toBe(6);
    expect(failuresAfterExit(5, 60_000)).toBe(1);
    expect(isCrashLoop(2)).toBe(false);
    expect(isCrashLoop(3)).toBe(true);
  });
});

describe('Supervisor', () => {
  it('starts a service again when it exits on its own, logging the cause, with growing backoff', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor({ policy: FAST, log: (line) => lines.push(line) });
    const fake = fakeService('worker');
    supervisor.add(fake.definition);
    await supervisor.running();
    for (let crash = 1; crash <= 3; crash++) {
      fake.crash('signal SIGKILL');
      await until(() => fake.starts.length === crash + 1 && supervisor.status().services[0]!.state === 'running', `restart ${crash}`);
    }
    const gaps = fake.starts.slice(1).map((at, index) => at - fake.starts[index]!);
    expect(gaps[1]!).toBeGreaterThanOrEqual(20 - 3); // 10, 20, 40 ms: doubling
    expect(gaps[2]!).toBeGreaterThanOrEqual(40 - 3);
    expect(lines[0]).toBe('the worker process exited (signal SIGKILL); restarting it in 10 ms');
    const status = supervisor.status().services[0]!;
    expect(status).toMatchObject({ restarts: 3, failures: 3, crashLoop: true, lastExit: 'signal SIGKILL', pid: 1004 });
    await supervisor.stop();
  });

  it('calls a crash loop loudly, keeps retrying at the capped pace, and clears it after a healthy spell', async () => {
    const warnings: string[] = [];
    const supervisor = new Supervisor({ policy: FAST, warn: (line) => warnings.push(line) });
    const fake = fakeService('dashboard');
    fake.failNextStarts = 6;
    supervisor.add(fake.definition);
    await supervisor.running();
    expect(fake.starts).toHaveLength(7);
    const gaps = fake.starts.slice(1).map((at, index) => at - fake.starts[index]!);
    expect(Math.max(...gaps)).toBeLessThan(80 + 40); // capped at 80 ms (plus timer slack)
    expect(warnings.filter((line) => line.startsWith('CRASH LOOP: the dashboard process has failed'))).toHaveLength(4);
    expect(warnings.at(-1)).toMatch(/failed 6 times in a row \(last: failed to start: cannot bind\)/);
    expect(supervisor.status().services[0]!.crashLoop).toBe(true);
    await until(() => !supervisor.status().services[0]!.crashLoop, 'the crash loop to clear after a healthy spell');
    expect(supervisor.status().services[0]!.failures).toBe(0);
    fake.crash();
    await until(() => fake.starts.length === 8, 'the restart after the healthy spell');
    expect(fake.starts[7]! - fake.starts[6]!).toBeGreaterThan(300); // it ran for the healthy spell
    expect(supervisor.status().services[0]!).toMatchObject({ failures: 1, crashLoop: false });
    await supervisor.stop();
  });

  it('stops group by group and restarts nothing once stopping, even what exits meanwhile', async () => {
    const order: string[] = [];
    const supervisor = new Supervisor({ policy: FAST });
    const web = fakeService('web-1', order);
    const worker = fakeService('worker', order);
    const postgres = fakeService('postgres', order);
    for (const fake of [postgres, web, worker]) supervisor.add(fake.definition);
    await supervisor.running();
    const stopping = supervisor.stop([['web-1'], ['worker'], ['postgres']]);
    worker.crash('code 1'); // dies on its own while the web process drains
    await stopping;
    expect(order).toEqual(['web-1', 'postgres']);
    expect([web, worker, postgres].map((fake) => fake.starts.length)).toEqual([1, 1, 1]);
    expect(supervisor.status().services.every((service) => service.state === 'stopped')).toBe(true);
  });

  it('abandons a start in progress when stopping, and does not start it again', async () => {
    const supervisor = new Supervisor({ policy: FAST });
    let aborted = false;
    supervisor.add({
      name: 'dashboard',
      start: (signal) =>
        new Promise<RunningProcess>((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('start-up abandoned'));
          });
        }),
    });
    await supervisor.stop();
    expect(aborted).toBe(true);
    expect(supervisor.status().services[0]!.state).toBe('stopped');
  });
});
