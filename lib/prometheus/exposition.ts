/**
 * The Prometheus text exposition of the deployment's figures, through prom-client. A fresh
 * Registry per scrape: the figures come from the database (deployment-figures.ts), so a deleted
 * source or destination simply stops appearing, and no process keeps label sets in memory.
 *
 * Label values are a source's slug and a destination's name, never an id of a secret nor any
 * secret value. `status` of hookyard_ingest_requests_total is what happened to a request to a
 * known source: accepted (stored, 202), duplicate (already stored, 200) or rejected (refused:
 * signature, address, size or rate limit). `outcome` of hookyard_delivery_attempts_total is
 * succeeded (a 2xx answer) or failed (anything else, including timeouts and network errors).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { ALERT_KINDS } from '@/lib/alerts/alerts.schema';
import { LATENCY_BUCKETS_MS } from '@/lib/metrics/latency-buckets';
import type { DeploymentFigures } from './deployment-figures';

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

export const INGEST_STATUSES = ['accepted', 'duplicate', 'rejected'] as const;
export const ATTEMPT_OUTCOMES = ['succeeded', 'failed'] as const;

const DURATION = 'hookyard_delivery_attempt_duration_seconds';
const BOUNDS_SECONDS = LATENCY_BUCKETS_MS.map((ms) => ms / 1000);

/**
 * The attempt-duration histogram as prom-client's registry prints a histogram, built from the
 * stored bucket counts: prom-client's own Histogram only takes observations one at a time.
 */
function durationHistogram(figures: DeploymentFigures) {
  const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
  for (const destination of figures.destinations) {
    let cumulative = 0;
    BOUNDS_SECONDS.forEach((le, i) => {
      cumulative += destination.latencyHist[i] ?? 0;
      values.push({ metricName: `${DURATION}_bucket`, labels: { destination: destination.label, le }, value: cumulative });
    });
    cumulative += destination.latencyHist[BOUNDS_SECONDS.length] ?? 0;
    values.push({ metricName: `${DURATION}_bucket`, labels: { destination: destination.label, le: '+Inf' }, value: cumulative });
    values.push({ metricName: `${DURATION}_sum`, labels: { destination: destination.label }, value: destination.latencySeconds });
    values.push({ metricName: `${DURATION}_count`, labels: { destination: destination.label }, value: cumulative });
  }
  const metric = {
    name: DURATION,
    help: 'Duration of delivery attempts (request sent to answer read), per destination.',
    type: 'histogram',
    aggregator: 'sum',
    get: async () => ({ name: DURATION, help: metric.help, type: 'histogram', aggregator: 'sum', values }),
  };
  return metric;
}

export async function renderMetrics(figures: DeploymentFigures): Promise<string> {
  const registry = new Registry();
  const registers = [registry];

  const requests = new Counter({
    name: 'hookyard_ingest_requests_total',
    help: 'Webhook requests to known sources, by what happened to them (status: accepted, duplicate, rejected).',
    labelNames: ['source', 'status'] as const,
    registers,
  });
  const accepted = new Counter({ name: 'hookyard_events_accepted_total', help: 'Events stored, per source.', labelNames: ['source'] as const, registers });
  for (const source of figures.sources) {
    requests.inc({ source: source.label, status: 'accepted' }, source.accepted);
    requests.inc({ source: source.label, status: 'duplicate' }, source.duplicates);
    requests.inc({ source: source.label, status: 'rejected' }, source.rejected);
    accepted.inc({ source: source.label }, source.accepted);
  }

  const attempts = new Counter({
    name: 'hookyard_delivery_attempts_total',
    help: 'Delivery attempts, by destination and outcome (succeeded: a 2xx answer; failed: anything else).',
    labelNames: ['destination', 'outcome'] as const,
    registers,
  });
  const exhausted = new Counter({
    name: 'hookyard_deliveries_exhausted_total',
    help: 'Deliveries that failed their last scheduled attempt, per destination.',
    labelNames: ['destination'] as const,
    registers,
  });
  registry.registerMetric(durationHistogram(figures) as unknown as Counter);
  const pending = new Gauge({
    name: 'hookyard_deliveries_pending',
    help: 'Deliveries not finished yet (pending, held or in flight), per destination.',
    labelNames: ['destination'] as const,
    registers,
  });
  const oldest = new Gauge({
    name: 'hookyard_oldest_pending_delivery_seconds',
    help: 'Age of the oldest unfinished delivery, per destination (0 when none).',
    labelNames: ['destination'] as const,
    registers,
  });
  const circuit = new Gauge({
    name: 'hookyard_destination_circuit_open',
    help: "1 while a destination's circuit is open or half-open (only probes go out), else 0.",
    labelNames: ['destination'] as const,
    registers,
  });
  for (const destination of figures.destinations) {
    const labels = { destination: destination.label };
    attempts.inc({ ...labels, outcome: 'succeeded' }, destination.succeeded);
    attempts.inc({ ...labels, outcome: 'failed' }, destination.failed);
    exhausted.inc(labels, destination.exhausted);
    pending.set(labels, destination.pending);
    oldest.set(labels, destination.oldestPendingSeconds);
    circuit.set(labels, destination.circuitOpen ? 1 : 0);
  }

  const alerts = new Gauge({
    name: 'hookyard_alerts_open',
    help: 'Unresolved (open or acknowledged) alerts, per kind.',
    labelNames: ['kind'] as const,
    registers,
  });
  for (const kind of ALERT_KINDS) alerts.set({ kind }, figures.alertsOpen[kind]);
  const workers = new Gauge({ name: 'hookyard_workers_live', help: 'Delivery workers whose heartbeat is current.', registers });
  workers.set(figures.workersLive);

  return registry.metrics();
}
