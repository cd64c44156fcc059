/**
 * The embedded Postgres as a supervised service. pg_ctl runs the postmaster in a session of its
 * own (so Ctrl-C never reaches it before the web processes have drained), which also means it is
 * not our child: its end is noticed by polling its pid. A server someone else restarted in the
 * meantime (`pg_ctl restart`) is taken over as it is, not started a second time.
 */
import type { EmbeddedPostgresHandle, StartEmbeddedPostgresOptions } from '@/lib/db/embedded-postgres';
import { startEmbeddedPostgres } from '@/lib/db/embedded-postgres';
import type { RunningProcess, ServiceDefinition } from './supervisor';

const POLL_MS = 200;

function watch(handle: EmbeddedPostgresHandle, pid: number): RunningProcess {
  let stopped = false;
  const exited = new Promise<string>((resolve) => {
    const timer = setInterval(() => {
      void handle.pid().then((current) => {
        if (current === pid && !stopped) return;
        clearInterval(timer);
        resolve(stopped ? 'stopped' : current === null ? 'the postmaster is gone' : `replaced by pid ${current}`);
      });
    }, POLL_MS);
  });
  return {
    pid,
    exited,
    async stop() {
      stopped = true;
      await handle.stop();
      await exited;
    },
  };
}

/**
 * `first` is the server the launcher already started (before migrations); later starts use the
 * same data directory, password and port, so every process's DATABASE_URL stays right.
 */
export function embeddedPostgresService(options: StartEmbeddedPostgresOptions & { port: number }, first: EmbeddedPostgresHandle): ServiceDefinition {
  let initial: EmbeddedPostgresHandle | null = first;
  return {
    name: 'postgres',
    async start() {
      const handle = initial ?? (await startEmbeddedPostgres(options));
      initial = null;
      const pid = await handle.pid();
      if (pid === null) throw new Error('the postmaster exited right after it started');
      return watch(handle, pid);
    },
  };
}
