/**
 * Readiness of a web process, as `GET /api/health` reports it: one line per component, "ok" or a
 * short reason. Only the database decides the status code: without it ingest cannot commit (and
 * answers 503 itself), so the process is not ready; a dead worker or a restarting dashboard
 * leaves ingest working, so those make the report "degraded" but keep it 200, and a load balancer
 * keeps sending webhooks. The report is computed at most once a second per process, however often
 * it is polled.
 */
import type { Sql } from '@/lib/db/sql';
import { describeService, type SupervisorStatus } from '@/lib/supervisor/status';

export type ComponentName = 'database' | 'worker' | 'dashboard';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'unavailable';
  components: Record<ComponentName, string>;
  /** The launcher's view of the processes it supervises (without pids), when there is a launcher. */
  processes?: { name: string; state: string; restarts: number; crashLoop: boolean; lastExit: string | null }[];
}

export interface HealthSources {
  sql: () => Sql;
  /** "ok", or why the dashboard does not answer. */
  probeDashboard: () => Promise<string>;
  /** "ok", or why no worker is live; called only when the database answers. */
  checkWorkers: (sql: Sql) => Promise<string>;
  supervisor: () => SupervisorStatus | null;
  timeoutMs?: number;
}

const CACHE_MS = 1000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function shortReason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (typeof code === 'string' && code.startsWith('57P')) return 'shutting down or starting up';
  return (message ?? String(error)).split('\n')[0]!.slice(0, 120);
}

/** A supervised service's trouble overrides a bare probe result: it says why and for how long. */
function withSupervisorView(probe: string, status: SupervisorStatus | null, names: (name: string) => boolean): string {
  const troubled = status?.services
    .filter((service) => names(service.name))
    .map(describeService)
    .find((line) => line !== null);
  if (!troubled) return probe;
  return probe === 'ok' ? probe : troubled;
}

export async function computeHealth(sources: HealthSources): Promise<HealthReport> {
  const timeoutMs = sources.timeoutMs ?? 2000;
  const sql = sources.sql();
  const [database, dashboard] = await Promise.all([
    withTimeout(sql`SELECT 1`, timeoutMs, 'the database').then(
      () => 'ok',
      (error: unknown) => `unreachable: ${shortReason(error)}`,
    ),
    withTimeout(sources.probeDashboard(), timeoutMs, 'the dashboard').catch((error: unknown) => `not answering: ${shortReason(error)}`),
  ]);
  const worker =
    database === 'ok'
      ? await withTimeout(sources.checkWorkers(sql), timeoutMs, 'the worker registry').catch((error: unknown) => `unknown: ${shortReason(error)}`)
      : 'unknown: the database is unreachable';
  const supervisor = sources.supervisor();
  const components = {
    database: withSupervisorView(database, supervisor, (name) => name === 'postgres'),
    worker: withSupervisorView(worker, supervisor, (name) => name === 'worker'),
    dashboard: withSupervisorView(dashboard, supervisor, (name) => name === 'dashboard'),
  };
  const status = database !== 'ok' ? 'unavailable' : Object.values(components).every((value) => value === 'ok') ? 'ok' : 'degraded';
  const report: HealthReport = { status, components };
  if (supervisor) {
    report.processes = supervisor.services.map(({ name, state, restarts, crashLoop, lastExit }) => ({ name, state, restarts, crashLoop, lastExit }));
  }
  return report;
}

/** computeHealth, shared by concurrent callers and reused for a second. */
export function cachedHealth(sources: HealthSources): () => Promise<HealthReport> {
  let last: { at: number; report: Promise<HealthReport> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= CACHE_MS) last = { at: now, report: computeHealth(sources) };
    return last.report;
  };
}

export function healthHttpStatus(report: HealthReport): number {
  return report.status === 'unavailable' ? 503 : 200;
}
