import { describe, expect, it } from 'vitest';
import { none } from '@/lib/providers/none';
import { makeRequest, parsed, verify } from './helpers';

describe('none preset', () => {
  it('accepts anything, with no secret, and says it needs none', () => {
    const request = makeRequest({ headers: {}, body: 'anything at all' });
    expect(verify(none, request, [])).toEqual({ ok: true, secretId: null });
    expect(verify(none, request, [{ id: 's', value: 'ignored' }])).toEqual({ ok: true, secretId: null });
    expect(none.needsSecret).toBe(false);
  });

  it('still extracts event type and a standard idempotency header', () => {
    const request = makeRequest({ headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' }, body: '{"type":"a.b"}' });
    expect(none.eventType(request, parsed(request))).toBe('a.b');
    expect(none.dedupKey(request, parsed(request))).toBe('msg_1');
  });

  it('produces an unsigned sample', () => {
    const sample = none.sampleRequest('', 'https://h.example.com/x', new Date(), {})!;
    expect(JSON.parse(sample.body).type).toBe('test.event');
    expect(verify(none, makeRequest({ headers: sample.headers, body: sample.body }), [])).toEqual({ ok: true, secretId: null });
  });
});
