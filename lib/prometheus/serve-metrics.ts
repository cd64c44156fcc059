/**
 * `GET /api/metrics`: the deployment's figures as Prometheus text (docs/observability.md). Any
 * API key may read it (any role: the figures name sources and destinations, as every page does,
 * and hold no secret), or anyone when HOOKYARD_METRICS_PUBLIC=true; otherwise 401 in the error
 * shape. A signed-in person may read it too (the same check as every route).
 */
import { requirePrincipal } from '@/lib/auth/principal';
import { metricsPublic } from '@/lib/config/settings';
import { sql } from '@/lib/db/sql';
import { errorResponse } from '@/lib/http/errors';
import { loadDeploymentFigures } from './deployment-figures';
import { METRICS_CONTENT_TYPE, renderMetrics } from './exposition';

export async function serveMetrics(request: Request): Promise<Response> {
  try {
    if (!metricsPublic()) await requirePrincipal('VIEWER', request.headers);
    const text = await renderMetrics(await loadDeploymentFigures(sql()));
    return new Response(text, { status: 200, headers: { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
