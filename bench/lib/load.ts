/**
 * HTTP load from a child process of its own (bench/workers/load.ts runs autocannon), so that the
 * load generator never shares an event loop with the benchmark or the server it measures.
 */
import { runWorker, type WorkerHooks } from './worker';

export interface LoadTarget {
  url: string;
  /** Connect to this Unix socket instead of url's host and port (url still gives the Host header). */
  socketPath?: string;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * A module under bench/load/ exporting `createRequests(options)` → autocannon requests (with
   * `setupRequest` to build each request, e.g. to sign a fresh body), since functions cannot be
   * sent to the child; optional `selfCheck(options)` runs once before the load starts.
   */
  requestsModule?: string;
  requestsOptions?: unknown;
}

export interface LoadOptions extends LoadTarget {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** The status that counts as success (e.g. 202 for ingest); latencies are of these only. */
  expectStatus: number;
}

export interface LoadSummary {
  seconds: number;
  responses: number;
  statusCounts: Record<string, number>;
  /** Responses with the expected status. */
  ok: number;
  /** Responses with another status, plus connection errors and timeouts. */
  unexpected: number;
  errors: number;
  timeouts: number;
  /** ok / seconds. */
  rps: number;
  /** Percentiles of the expected-status responses, exact (from autocannon's per-response times). */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface LoadResult {
  warmup: LoadSummary | null;
  measured: LoadSummary;
}

export function runLoad(name: string, options: LoadOptions, hooks?: WorkerHooks): Promise<LoadResult> {
  return runWorker<LoadOptions, LoadResult>(name, 'bench/workers/load.ts', options, hooks);
}

export function describeStatuses(summary: LoadSummary): string {
  const parts = Object.entries(summary.statusCounts).map(([status, count]) => `${status}×${count}`);
  if (summary.errors) parts.push(`errors×${summary.errors}`);
  if (summary.timeouts) parts.push(`timeouts×${summary.timeouts}`);
  return parts.join(', ') || 'none';
}
