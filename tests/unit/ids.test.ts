import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { newId } from '@/lib/db/ids';

describe('newId', () => {
  it('makes valid, distinct UUIDv7s that sort in the order they were made, across pool refills', () => {
    const ids = Array.from({ length: 2000 }, () => newId());
    for (const id of ids) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the current time in its first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const msecs = parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(Date.now() + 1);
  });
});
