// W3C Trace Context as the webhook hop carries it (lib/tracing/trace-context.ts): the parsing
// rules of the specification, the kept tracestate, and ids derived from the event and the
// delivery, so that a worker computes the same trace and parent as the ingest did.
import { describe, expect, it } from 'vitest';
import { forwardedHeaders } from '@/lib/worker/send-delivery';
import type { DestinationConfig } from '@/lib/worker/destination-config';
import { attemptTrace, forwardedTraceHeaders, ingestSpanId, ingestTrace, keptTracestate, parseTraceparent, traceIdOfEvent } from '@/lib/tracing/trace-context';

const PROVIDER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const EVENT = '019ad0c2-7f3a-7b21-9c4e-5d6f7a8b9c0d';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

describe('parseTraceparent', () => {
  it('reads a valid version-00 header', () => {
    expect(parseTraceparent(PROVIDER)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '00f067aa0ba902b7', flags: '01' });
  });

  it.each([
    ['all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['version 00 with extra fields', `${PROVIDER}-extra`],
    ['short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['wrong separators', '00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01'],
    ['garbage', 'hello'],
  ])('refuses %s', (_, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });

  it('reads a later version by its first four fields, as the specification asks', () => {
    expect(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future')?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01future')).toBeNull();
  });
});

describe('keptTracestate', () => {
  it('keeps the members as sent, drops empty ones, and stays within 512 characters by whole members', () => {
    expect(keptTracestate('rojo=00f067aa0ba902b7, congo=t61rcWkgMzE,,')).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    const long = Array.from({ length: 40 }, (_, i) => `vendor${i}=${'x'.repeat(10)}`).join(',');
    const kept = keptTracestate(long)!;
    expect(kept.length).toBeLessThanOrEqual(512);
    expect(long.startsWith(kept)).toBe(true);
    expect(kept.split(',').every((member) => /^vendor\d+=x{10}$/.test(member))).toBe(true);
  });
});

describe('the trace of a delivery', () => {
  it("stays in the provider's trace, below the ingest span, with the provider's flags and tracestate", () => {
    const headers = { traceparent: PROVIDER, tracestate: 'rojo=00f067aa0ba902b7' };
    const ingest = ingestTrace(EVENT, headers);
    expect(ingest.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(ingest.parent?.parentId).toBe('00f067aa0ba902b7');
    const first = attemptTrace({ eventId: EVENT, deliveryId: '019ad0c2-0000-7000-8000-000000000001', attempt: 1, headers });
    expect(first.parentSpanId).toBe(ingest.spanId);
    expect(forwardedTraceHeaders(first)).toEqual({
      traceparent: `00-4bf92f3577b34da6a3ce929d0e0e4736-${first.spanId}-01`,
      tracestate: 'rojo=00f067aa0ba902b7',
    });
  });

  it('without a traceparent, starts a trace whose id is the event id, the same for every attempt, with a new parent per attempt', () => {
    const delivery = { eventId: EVENT, deliveryId: '019ad0c2-0000-7000-8000-000000000001', headers: { tracestate: 'orphan=1' } };
    const sent = [1, 2, 3].map((attempt) => forwardedTraceHeaders(attemptTrace({ ...delivery, attempt })));
    const parsed = sent.map((headers) => TRACEPARENT.exec(headers.traceparent!)!);
    expect(new Set(parsed.map((match) => match[1]))).toEqual(new Set([traceIdOfEvent(EVENT)]));
    expect(traceIdOfEvent(EVENT)).toBe('019ad0c27f3a7b219c4e5d6f7a8b9c0d');
    expect(new Set(parsed.map((match) => match[2])).size).toBe(3);
    expect(parsed.every((match) => match[3] === '01')).toBe(true);
    // A tracestate without a valid traceparent belongs to no trace of ours.
    expect(sent.every((headers) => headers.tracestate === undefined)).toBe(true);
    expect(ingestSpanId(EVENT)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('replaces the stored traceparent in the forwarded request, and a test send (no event) still gets a valid one', () => {
    const destination: DestinationConfig = {
      id: 'd',
      name: 'orders',
      url: 'http://127.0.0.1:9/hook',
      displayUrl: 'http://127.0.0.1:9/hook',
      options: {},
      headers: { traceparent: '00-11111111111111111111111111111111-2222222222222222-01' },
      timeoutMs: 1000,
      retrySchedule: [0],
      rateLimitPerSecond: null,
      status: 'active',
      signingSecrets: [],
    };
    const headers = forwardedHeaders(
      {
        deliveryId: '019ad0c2-0000-7000-8000-000000000001',
        eventId: EVENT,
        attempt: 2,
        headers: { traceparent: PROVIDER, tracestate: 'a=1' },
        body: Buffer.from('{}'),
      },
      destination,
      new Date(),
    );
    expect(headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(headers.traceparent).not.toBe(PROVIDER);
    expect(headers.tracestate).toBe('a=1');
    const test = forwardedHeaders({ deliveryId: EVENT, eventId: 'test', attempt: 1, headers: {}, body: Buffer.from('{}') }, destination, new Date());
    expect(TRACEPARENT.exec(test.traceparent!)?.[1]).toBe(traceIdOfEvent(EVENT));
  });
});
