/**
 * Waiting on what an in-process worker reports (WorkerEventMap) instead of sleeping or polling
 * the database. Subscribe before causing the work: an event that fired before the call is missed.
 */
import type { DeliveryWorker, WorkerEventMap } from '@/lib/worker/delivery-worker';

type Payload<K extends keyof WorkerEventMap> = WorkerEventMap[K] extends [infer P] ? P : undefined;

/** The first `count` payloads of `event` that match `predicate`, in order. */
export function waitForEvents<K extends keyof WorkerEventMap>(
  worker: DeliveryWorker,
  event: K,
  count: number,
  predicate: (payload: Payload<K>) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<Payload<K>[]> {
  return new Promise((resolve, reject) => {
    const seen: Payload<K>[] = [];
    const emitter = worker as unknown as NodeJS.EventEmitter;
    const listener = (payload: Payload<K>) => {
      if (!predicate(payload)) return;
      seen.push(payload);
      if (seen.length < count) return;
      done();
      resolve(seen);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${count} × ${event} (saw ${seen.length})`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      emitter.off(event, listener);
    };
    emitter.on(event, listener);
  });
}

/** The first payload of `event` that matches `predicate`. */
export async function waitForEvent<K extends keyof WorkerEventMap>(
  worker: DeliveryWorker,
  event: K,
  predicate: (payload: Payload<K>) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<Payload<K>> {
  const [payload] = await waitForEvents(worker, event, 1, predicate, timeoutMs);
  return payload!;
}

type Finish = WorkerEventMap['attempt:finish'][0];

/**
 * An attempt:finish predicate: a recorded attempt to `destinationId`. (By destination, known
 * before the work is created, so that no attempt can finish before the test knows what to match.)
 */
export const recordedTo =
  (destinationId: string, also: (finish: Finish) => boolean = () => true) =>
  (finish: Finish): boolean =>
    finish.recorded && finish.destination.id === destinationId && also(finish);

/**
 * Resolves with `check()`'s first truthy answer, asked now and again each time the worker
 * reports a recorded attempt or goes idle: for a state that the test's own action (a retry, a
 * replay) starts, where no event can be awaited from before it. No timer polls the database.
 */
export function untilWorkerShows<T>(
  worker: DeliveryWorker,
  check: () => Promise<T | null | undefined | false>,
  what = 'condition',
  timeoutMs = 15_000,
): Promise<T> {
  const emitter = worker as unknown as NodeJS.EventEmitter;
  return new Promise((resolve, reject) => {
    let settled = false;
    let checking = false;
    let again = false;
    const finish = (error: Error | null, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      emitter.off('attempt:finish', onEvent);
      emitter.off('idle', onEvent);
      emitter.off('alerts:resolved', onEvent);
      if (error) reject(error);
      else resolve(value as T);
    };
    const run = async (): Promise<void> => {
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          const value = await check();
          if (value) return finish(null, value);
        } while (again && !settled);
      } catch (error) {
        finish(error as Error);
      } finally {
        checking = false;
      }
    };
    const onEvent = () => void run();
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    emitter.on('attempt:finish', onEvent);
    emitter.on('idle', onEvent);
    emitter.on('alerts:resolved', onEvent);
    void run();
  });
}
