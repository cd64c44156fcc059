/**
 * The load generator, in a process of its own: receives LoadOptions over IPC, runs autocannon
 * (a warm-up, then the measured run) and answers with LoadResult. Latency percentiles are
 * computed exactly from autocannon's per-response times (its own histogram rounds to whole ms).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import type { LoadOptions, LoadResult, LoadSummary } from '../lib/load';
import { serveWorker } from '../lib/worker';

interface RequestsModule {
  createRequests(options: unknown): autocannon.Request[];
  selfCheck?(options: unknown): void | Promise<void>;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

async function once(options: LoadOptions, seconds: number, requests: autocannon.Request[] | undefined): Promise<LoadSummary> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: options.url,
    ...(options.socketPath ? { socketPath: options.socketPath } : {}),
    connections: options.connections,
    duration: seconds,
    timeout: 10,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    requests: requests ?? [{ method: options.method ?? 'GET', path: options.path }],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode === options.expectStatus) latencies.push(responseTime);
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  const statusCounts: Record<string, number> = {};
  let responses = 0;
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    statusCounts[status] = count;
    responses += count;
  }
  const ok = statusCounts[String(options.expectStatus)] ?? 0;
  const elapsed = result.duration > 0 ? result.duration : seconds;
  const sum = latencies.reduce((total, value) => total + value, 0);
  return {
    seconds: elapsed,
    responses,
    statusCounts,
    ok,
    unexpected: responses - ok + result.errors,
    errors: result.errors,
    timeouts: result.timeouts,
    rps: round(ok / elapsed, 1),
    p50Ms: round(percentile(sorted, 0.5)),
    p90Ms: round(percentile(sorted, 0.9)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted.length ? sorted[sorted.length - 1]! : 0),
    meanMs: round(latencies.length ? sum / latencies.length : 0),
  };
}

async function run(options: LoadOptions, phase: (phase: 'measuring' | 'measured') => void): Promise<LoadResult> {
  let requestsModule: RequestsModule | null = null;
  if (options.requestsModule) {
    requestsModule = (await import(pathToFileURL(path.resolve(options.requestsModule)).href)) as RequestsModule;
    await requestsModule.selfCheck?.(options.requestsOptions);
  }
  const requests = () => requestsModule?.createRequests(options.requestsOptions);
  const warmup = options.warmupSeconds > 0 ? await once(options, options.warmupSeconds, requests()) : null;
  phase('measuring');
  const measured = await once(options, options.durationSeconds, requests());
  phase('measured');
  return { warmup, measured };
}

serveWorker(run);
