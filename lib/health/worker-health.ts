/** The worker component of /api/health: live workers from their heartbeats (lib/worker/worker-registry.ts). */
import type { Sql } from '@/lib/db/sql';
import { listWorkers } from '@/lib/worker/worker-registry';

export async function describeWorkers(sql: Sql, now = new Date()): Promise<string> {
  const workers = await listWorkers(sql, now);
  if (workers.some((worker) => worker.state === 'live')) return 'ok';
  const latest = workers[0];
  if (!latest) return 'no worker has ever run: start one with `npm run worker`';
  const seconds = Math.round((now.getTime() - latest.heartbeatAt.getTime()) / 1000);
  return `no live worker: the last heartbeat was ${seconds} s ago`;
}
