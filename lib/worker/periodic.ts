/**
 * A periodic task that never overlaps itself and stops promptly: used by the worker process
 * for housekeeping (expired sign-in throttles now; retention and alerts later).
 */
import { logDatabaseFailure } from '@/lib/db/database-outage';

export interface Periodic {
  stop(): Promise<void>;
}

export function every(name: string, intervalMs: number, task: () => Promise<void>): Periodic {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    running = task()
      .catch((error: unknown) => logDatabaseFailure(error, 'periodic task failed', { task: name }))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
