/**
 * Liveness probe: `GET /api/health/live` answers 200 `{"status":"ok"}` as long as the process
 * serves requests. It touches nothing else (no database, no session), so a container orchestrator
 * restarts the process only when the process itself is stuck, never because Postgres is down;
 * `/api/health` is the readiness check that includes the database.
 *
 * It is also the benchmark's "no-op Next.js route handler" baseline (docs/performance.md): it
 * goes through the whole framework request path, so keep it free of work.
 */
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
