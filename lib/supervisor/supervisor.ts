/**
 * Keeps a set of processes running: each service is started, watched, and started again with
 * backoff whenever it exits without having been asked to (restart-policy.ts). Only stop() ends
 * supervision; from the moment it is called nothing is restarted, and the services are stopped
 * group by group in the order given (the web processes drain before the database goes).
 */
import { EventEmitter } from 'node:events';
import { DEFAULT_RESTART_POLICY, failuresAfterExit, isCrashLoop, type RestartPolicy, restartDelayMs } from './restart-policy';
import type { ServiceStatus, SupervisorStatus } from './status';

/** One started process, as a service definition hands it to the supervisor. */
export interface RunningProcess {
  pid: number | null;
  /** Resolves once, when the process has ended, with how: "code 1", "signal SIGKILL", … */
  exited: Promise<string>;
  /** Asks the process to stop, resolves when it has (the definition enforces its own deadline). */
  stop(): Promise<void>;
}

export interface ServiceDefinition {
  name: string;
  /**
   * Starts one process and resolves once it is ready; rejects when it cannot start. When `signal`
   * aborts (the launcher is stopping), the definition abandons the start and rejects.
   */
  start(signal: AbortSignal): Promise<RunningProcess>;
}

export interface SupervisorEvents {
  change: [SupervisorStatus];
}

interface Entry {
  definition: ServiceDefinition;
  status: ServiceStatus;
  running: RunningProcess | null;
  loop: Promise<void>;
}

export interface SupervisorOptions {
  policy?: RestartPolicy;
  log?: (line: string) => void;
  /** Loud lines: restarts and crash loops. */
  warn?: (line: string) => void;
  now?: () => number;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

export class Supervisor extends EventEmitter<SupervisorEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly policy: RestartPolicy;
  private readonly log: (line: string) => void;
  private readonly warn: (line: string) => void;
  private readonly now: () => number;
  private readonly abort = new AbortController();

  constructor(options: SupervisorOptions = {}) {
    super();
    this.policy = options.policy ?? DEFAULT_RESTART_POLICY;
    this.log = options.log ?? (() => undefined);
    this.warn = options.warn ?? this.log;
    this.now = options.now ?? Date.now;
  }

  get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  /** Starts supervising a service at once. */
  add(definition: ServiceDefinition): void {
    if (this.entries.has(definition.name)) throw new Error(`a service named ${definition.name} is already supervised`);
    const entry: Entry = {
      definition,
      running: null,
      loop: Promise.resolve(),
      status: {
        name: definition.name,
        state: 'starting',
        pid: null,
        since: null,
        restarts: 0,
        failures: 0,
        crashLoop: false,
        lastExit: null,
        nextStartAt: null,
      },
    };
    this.entries.set(definition.name, entry);
    entry.loop = this.supervise(entry);
  }

  status(): SupervisorStatus {
    return { launcherPid: process.pid, services: [...this.entries.values()].map((entry) => ({ ...entry.status })) };
  }

  /** Resolves once every named service has a running process (or supervision is stopping). */
  async running(names: string[] = [...this.entries.keys()]): Promise<void> {
    const ready = () => this.stopping || names.every((name) => this.entries.get(name)?.status.state === 'running');
    if (ready()) return;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!ready()) return;
        this.off('change', check);
        resolve();
      };
      this.on('change', check);
    });
  }

  /**
   * Ends supervision: nothing is restarted from now on. Services are stopped group by group;
   * services not named in any group are stopped last, together.
   */
  async stop(groups: string[][] = []): Promise<void> {
    this.abort.abort();
    const named = new Set(groups.flat());
    const rest = [...this.entries.keys()].filter((name) => !named.has(name));
    for (const group of [...groups, rest]) {
      await Promise.all(group.map((name) => this.stopEntry(this.entries.get(name))));
    }
  }

  private async stopEntry(entry: Entry | undefined): Promise<void> {
    if (!entry) return;
    if (entry.running) {
      this.update(entry, { state: 'stopping' });
      await entry.running.stop().catch((error: unknown) => this.warn(`${entry.definition.name}: ${errorText(error)}`));
    }
    await entry.loop;
  }

  private async supervise(entry: Entry): Promise<void> {
    while (!this.stopping) {
      const startedAt = this.now();
      let running: RunningProcess;
      try {
        running = await entry.definition.start(this.abort.signal);
      } catch (error) {
        if (this.stopping) break;
        await this.failed(entry, startedAt, `failed to start: ${errorText(error)}`);
        continue;
      }
      if (this.stopping) {
        await running.stop().catch(() => undefined);
        break;
      }
      entry.running = running;
      this.update(entry, { state: 'running', pid: running.pid, since: new Date(this.now()).toISOString(), nextStartAt: null });
      // A healthy minute ends a run of failures (and a crash loop) in the status right away.
      const healthy = setTimeout(() => {
        if (entry.running === running && entry.status.failures > 0) this.update(entry, { failures: 0, crashLoop: false });
      }, this.policy.healthyAfterMs);
      healthy.unref();
      const how = await running.exited;
      clearTimeout(healthy);
      entry.running = null;
      if (this.stopping) break;
      await this.failed(entry, startedAt, how);
    }
    this.update(entry, { state: 'stopped', pid: null, since: null, nextStartAt: null });
  }

  /** An exit nobody asked for, or a failed start: wait out the backoff, then loop again. */
  private async failed(entry: Entry, startedAt: number, how: string): Promise<void> {
    const name = entry.definition.name;
    const failures = failuresAfterExit(entry.status.failures, this.now() - startedAt, this.policy);
    const delay = restartDelayMs(failures, this.policy);
    const crashLoop = isCrashLoop(failures, this.policy);
    this.update(entry, {
      state: 'restarting',
      pid: null,
      since: null,
      failures,
      crashLoop,
      lastExit: how,
      restarts: entry.status.restarts + 1,
      nextStartAt: new Date(this.now() + delay).toISOString(),
    });
    const wait = delay >= 1000 ? `${Math.round(delay / 100) / 10} s` : `${delay} ms`;
    if (crashLoop) {
      this.warn(`CRASH LOOP: the ${name} process has failed ${failures} times in a row (last: ${how}); still retrying, next start in ${wait}`);
    } else {
      this.warn(`the ${name} process ${how.startsWith('failed') ? how : `exited (${how})`}; restarting it in ${wait}`);
    }
    await this.sleep(delay);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }

  private update(entry: Entry, change: Partial<ServiceStatus>): void {
    Object.assign(entry.status, change);
    this.emit('change', this.status());
  }
}
