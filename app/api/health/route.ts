/**
 * Readiness, for `next dev` only: under `npm start` the web processes answer `/api/health`
 * themselves (server.ts, lib/health/) and this route is never reached. Here the dashboard is the
 * process answering, so it is up by definition.
 */
import { healthHttpStatus } from '@/lib/health/check-health';
import { readinessCheck } from '@/lib/health/readiness';

export const dynamic = 'force-dynamic';

const check = readinessCheck({ probeDashboard: async () => 'ok', supervisor: () => null });

export async function GET() {
  const report = await check();
  const status = healthHttpStatus(report);
  return Response.json(report, { status, headers: { 'cache-control': 'no-store', ...(status === 503 ? { 'retry-after': '5' } : {}) } });
}
