/**
 * The OpenTelemetry SDK, imported only when tracing is on (spans.ts imports this file lazily).
 * A TracerProvider with the OTLP/HTTP exporter behind a batch processor; the exporter reads its
 * own OTEL_EXPORTER_OTLP_* variables, the resource OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
 * (default service name "hookyard"), and the sampler and batch settings come from lib/config.
 *
 * Hookyard's spans carry ids derived from the event and the delivery (trace-context.ts), so that
 * the worker can name the ingest span as a parent and the forwarded traceparent names the attempt
 * span. The SDK takes a span's ids from its IdGenerator, synchronously inside startSpan, so the
 * generator is told the planned ids just before each startSpan.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  type IdGenerator,
  ParentBasedSampler,
  RandomIdGenerator,
  type Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { TracingSettings } from '@/lib/config/settings';
import { isSampled } from './trace-context';
import type { SpanRecord } from './spans';

class PlannedIds implements IdGenerator {
  planned: { traceId: string; spanId: string } | null = null;
  private readonly random = new RandomIdGenerator();
  generateTraceId(): string {
    return this.planned?.traceId ?? this.random.generateTraceId();
  }
  generateSpanId(): string {
    return this.planned?.spanId ?? this.random.generateSpanId();
  }
}

function sampler(settings: TracingSettings): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.samplerRatio);
  switch (settings.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

export function startOtelExporter(settings: TracingSettings) {
  const ids = new PlannedIds();
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'hookyard' }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new TracerProvider({
    resource,
    sampler: sampler(settings),
    idGenerator: ids,
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter(),
        scheduledDelayMillis: settings.scheduleDelayMs,
        maxQueueSize: settings.maxQueueSize,
        maxExportBatchSize: settings.maxExportBatchSize,
      }),
    ],
  });
  const tracer = provider.getTracer('hookyard');

  return {
    record(span: SpanRecord): void {
      const parent = span.parent
        ? trace.setSpanContext(ROOT_CONTEXT, {
            traceId: span.traceId,
            spanId: span.parent.spanId,
            traceFlags: isSampled(span.parent.flags) ? 1 : 0,
            isRemote: span.parent.remote,
            traceState: span.tracestate ? new TraceState(span.tracestate) : undefined,
          })
        : ROOT_CONTEXT;
      ids.planned = { traceId: span.traceId, spanId: span.spanId };
      let started;
      try {
        started = tracer.startSpan(
          span.name,
          { kind: span.kind === 'server' ? SpanKind.SERVER : SpanKind.CLIENT, startTime: span.startTime, attributes: span.attributes },
          parent,
        );
      } finally {
        ids.planned = null;
      }
      if (span.error) started.setStatus({ code: SpanStatusCode.ERROR, message: span.error });
      started.end(span.endTime);
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
