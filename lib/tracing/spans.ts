/**
 * The one door to span export. Without OTEL_EXPORTER_OTLP_ENDPOINT, `tracing.enabled` is false
 * (read once per process) and nothing of the OpenTelemetry SDK is ever imported: the ingest path
 * pays a boolean check. With it, the SDK (otel-sdk.ts) is imported on first use and every span
 * recorded is handed to it; spans are recorded after the fact, with their own times and ids
 * (trace-context.ts), so no context travels through the code and nothing waits on the exporter.
 */
import { tracingSettings } from '@/lib/config/settings';
import { logger } from '@/lib/log/logger';

export type SpanAttributes = Record<string, string | number | boolean>;

export interface SpanRecord {
  name: string;
  kind: 'server' | 'client';
  traceId: string;
  spanId: string;
  /** The parent span, or null for a root span. */
  parent: { spanId: string; flags: string; remote: boolean } | null;
  tracestate: string | null;
  startTime: Date;
  endTime: Date;
  attributes: SpanAttributes;
  /** Set when the operation failed: the span's status is ERROR with this message. */
  error: string | null;
}

interface Exporter {
  record(span: SpanRecord): void;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const state = globalThis as unknown as { hookyardTracing?: Promise<Exporter | null> };

/** Whether spans are exported in this process (OTEL_EXPORTER_OTLP_ENDPOINT set, OTEL_SDK_DISABLED not). */
export function tracingEnabled(): boolean {
  return tracingSettings().enabled;
}

function exporter(): Promise<Exporter | null> {
  state.hookyardTracing ??= import('./otel-sdk')
    .then(({ startOtelExporter }) => startOtelExporter(tracingSettings()))
    .catch((error: unknown) => {
      logger.warn({ err: error }, 'cannot start the OpenTelemetry exporter; spans are not exported');
      return null;
    });
  return state.hookyardTracing;
}

/** Hands a finished span to the exporter (loaded on first use). Never throws, never waits. */
export function recordSpan(span: SpanRecord): void {
  if (!tracingEnabled()) return;
  void exporter().then((current) => {
    try {
      current?.record(span);
    } catch (error) {
      logger.warn({ err: error, span: span.name }, 'a span could not be recorded');
    }
  });
}

/** Exports what is queued (a stopping process calls it). A no-op when tracing is off. */
export async function flushSpans(): Promise<void> {
  if (!state.hookyardTracing) return;
  const current = await state.hookyardTracing;
  await current?.flush().catch((error: unknown) => logger.warn({ err: error }, 'exporting the last spans failed'));
}
