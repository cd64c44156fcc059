import { serveMetrics } from '@/lib/prometheus/serve-metrics';

export const dynamic = 'force-dynamic';

/** Prometheus text exposition of the whole deployment (docs/observability.md); any API key, or none with HOOKYARD_METRICS_PUBLIC=true. */
export const GET = serveMetrics;
