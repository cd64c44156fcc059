import { timingSafeEqual } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { decodeSignature, isWithinWindow, parseRfc3339, parseUnixTimestamp, safeEqualSecret, timingSafeEqualBytes } from '@/lib/providers/crypto';
import { parseBody } from '@/lib/providers/parse';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

describe('constant-time comparison', () => {
  it('compares equal-length buffers with timingSafeEqual', () => {
    expect(timingSafeEqualBytes(Buffer.from('abcd'), Buffer.from('abcd'))).toBe(true);
    expect(timingSafeEqualBytes(Buffer.from('abce'), Buffer.from('abcd'))).toBe(false);
  });

  it('on a length mismatch still does one full-length timingSafeEqual (no early return), and says false', () => {
    const spy = vi.mocked(timingSafeEqual);
    spy.mockClear();
    const expected = Buffer.alloc(32, 7);
    expect(timingSafeEqualBytes(Buffer.alloc(3, 7), expected)).toBe(false);
    expect(timingSafeEqualBytes(Buffer.alloc(64, 7), expected)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it('compares secrets through fixed-length digests', () => {
    const spy = vi.mocked(timingSafeEqual);
    spy.mockClear();
    expect(safeEqualSecret('short', 'a much longer secret value')).toBe(false);
    expect(safeEqualSecret('same', 'same')).toBe(true);
    expect(spy.mock.calls.every(([a, b]) => (a as Buffer).length === 32 && (b as Buffer).length === 32)).toBe(true);
  });
});

describe('timestamp windows', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const at = (seconds: number) => now.getTime() + seconds * 1000;

  it('two-sided windows reject both old and future timestamps', () => {
    const w = { maxAgeSeconds: 300, maxFutureSeconds: 300 };
    expect(isWithinWindow(at(-300), now, w)).toBe(true);
    expect(isWithinWindow(at(-301), now, w)).toBe(false);
    expect(isWithinWindow(at(300), now, w)).toBe(true);
    expect(isWithinWindow(at(301), now, w)).toBe(false);
  });

  it('one-sided windows only limit age; 0 disables the check', () => {
    expect(isWithinWindow(at(86_400), now, { maxAgeSeconds: 300, maxFutureSeconds: null })).toBe(true);
    expect(isWithinWindow(at(-301), now, { maxAgeSeconds: 300, maxFutureSeconds: null })).toBe(false);
    expect(isWithinWindow(at(-1e6), now, { maxAgeSeconds: 0, maxFutureSeconds: 0 })).toBe(true);
    expect(isWithinWindow(Number.NaN, now, { maxAgeSeconds: 300, maxFutureSeconds: 300 })).toBe(false);
  });

  it('parses Unix seconds/ms strictly and RFC 3339 with nanoseconds and offsets', () => {
    expect(parseUnixTimestamp('1700000000')).toBe(1_700_000_000_000);
    expect(parseUnixTimestamp('1700000000123', 'ms')).toBe(1_700_000_000_123);
    expect(parseUnixTimestamp('17e8')).toBeNull();
    expect(parseUnixTimestamp('-5')).toBeNull();
    expect(parseRfc3339('2019-11-16T10:11:12.634234626Z')).toBe(Date.UTC(2019, 10, 16, 10, 11, 12, 634));
    expect(parseRfc3339('2019-11-16T12:11:12+02:00')).toBe(Date.UTC(2019, 10, 16, 10, 11, 12));
    expect(parseRfc3339('1573899072')).toBeNull();
  });
});

describe('signature decoding', () => {
  it('accepts hex in either case and base64 in either alphabet; refuses junk', () => {
    expect(decodeSignature('ABcd', 'hex')).toEqual(Buffer.from([0xab, 0xcd]));
    expect(decodeSignature('abc', 'hex')).toBeNull();
    expect(decodeSignature('xyz0', 'hex')).toBeNull();
    expect(decodeSignature('+/8=', 'base64')).toEqual(Buffer.from([0xfb, 0xff]));
    expect(decodeSignature('-_8', 'base64')).toEqual(Buffer.from([0xfb, 0xff]));
    expect(decodeSignature('not base64!', 'base64')).toBeNull();
    expect(decodeSignature('', 'base64')).toBeNull();
  });
});

describe('parseBody', () => {
  it('parses JSON, forms (only when declared) and leaves other bodies alone', () => {
    expect(parseBody(Buffer.from(' {"a":1}'), undefined)).toEqual({ json: { a: 1 }, form: undefined });
    const form = parseBody(Buffer.from('a=1&b=x+y'), 'application/x-www-form-urlencoded; charset=utf-8');
    expect(form.json).toBeUndefined();
    expect(form.form?.get('b')).toBe('x y');
    expect(parseBody(Buffer.from('{broken'), 'application/json')).toEqual({ json: undefined, form: undefined });
  });
});
