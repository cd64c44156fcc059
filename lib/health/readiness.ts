/** The readiness check wired to this process's database pool and the worker registry. */
import { sql } from '@/lib/db/sql';
import type { SupervisorStatus } from '@/lib/supervisor/status';
import { cachedHealth, type HealthReport } from './check-health';
import { describeWorkers } from './worker-health';

export function readinessCheck(options: { probeDashboard: () => Promise<string>; supervisor: () => SupervisorStatus | null }): () => Promise<HealthReport> {
  return cachedHealth({ sql, checkWorkers: describeWorkers, ...options });
}
