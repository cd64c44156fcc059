/**
 * Delivery workers and their heartbeats (the `workers` table). Each DeliveryWorker writes its row
 * when it starts and every WORKER_HEARTBEAT_INTERVAL_MS after that, with the number of deliveries
 * it has in flight, and marks it stopped on a graceful stop. Every time is the database's clock,
 * so machines whose clocks disagree still agree on who is gone.
 *
 * A worker whose last heartbeat is older than WORKER_GONE_AFTER_MS is gone: it was killed, its
 * machine died, or it lost the database for that long. Lease recovery (recover-lost-leases.ts)
 * takes its in-flight deliveries over without waiting for their leases to expire. The threshold
 * is five heartbeats, so a busy event loop or a short database hiccup does not declare a live
 * worker gone; if one is (it lost the database for longer), its late outcomes are not recorded
 * and the deliveries are sent again: at least once, as always.
 */
import { sql as defaultSql, type Sql } from '@/lib/db/sql';

export const WORKER_HEARTBEAT_INTERVAL_MS = 2_000;
export const WORKER_GONE_AFTER_MS = 10_000;
/** Rows of workers not seen for this long are deleted (purgeGoneWorkers). */
export const WORKER_ROW_RETENTION_MS = 24 * 60 * 60_000;
const LIST_LIMIT = 100;

export type WorkerState = 'live' | 'gone' | 'stopped';

export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  startedAt: Date;
  heartbeatAt: Date;
  inFlight: number;
  state: WorkerState;
}

export function workerState(worker: { heartbeatAt: Date; stoppedAt: Date | null }, now: Date): WorkerState {
  if (worker.stoppedAt) return 'stopped';
  return now.getTime() - worker.heartbeatAt.getTime() > WORKER_GONE_AFTER_MS ? 'gone' : 'live';
}

/** The worker's row, created on its first heartbeat. A stopped worker's row stays stopped. */
export async function recordHeartbeat(sql: Sql, worker: { id: string; host: string; pid: number; inFlight: number }): Promise<void> {
  await sql`
    INSERT INTO workers (id, host, pid, started_at, heartbeat_at, in_flight)
    VALUES (${worker.id}, ${worker.host}, ${worker.pid}, now(), now(), ${worker.inFlight})
    ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), in_flight = excluded.in_flight`;
}

export async function markWorkerStopped(sql: Sql, id: string): Promise<void> {
  await sql`UPDATE workers SET stopped_at = now(), heartbeat_at = now(), in_flight = 0 WHERE id = ${id}`;
}

/**
 * Workers seen most recently first (so live ones always lead, ahead of any number of old rows),
 * at most a hundred. `now` defaults to the database's own clock.
 */
export async function listWorkers(sql: Sql, now?: Date): Promise<WorkerInfo[]> {
  const rows = await sql<
    { id: string; host: string; pid: number; started_at: Date; heartbeat_at: Date; in_flight: number; stopped_at: Date | null; now: Date }[]
  >`
    SELECT id, host, pid, started_at, heartbeat_at, in_flight, stopped_at, COALESCE(${now ?? null}::timestamptz, now()) AS now
    FROM workers ORDER BY heartbeat_at DESC, started_at DESC, id LIMIT ${LIST_LIMIT}`;
  return rows.map((row) => ({
    id: row.id,
    host: row.host,
    pid: row.pid,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
    inFlight: row.in_flight,
    state: workerState({ heartbeatAt: row.heartbeat_at, stoppedAt: row.stopped_at }, row.now),
  }));
}

/** For the dashboard's System page. */
export function loadWorkers(): Promise<WorkerInfo[]> {
  return listWorkers(defaultSql());
}

/** Rows of workers that stopped, or stopped sending heartbeats, more than a day ago. */
export async function purgeGoneWorkers(sql: Sql, olderThanMs = WORKER_ROW_RETENTION_MS): Promise<number> {
  const result = await sql`DELETE FROM workers WHERE heartbeat_at < now() - make_interval(secs => ${olderThanMs / 1000})`;
  return result.count;
}
