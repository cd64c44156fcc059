import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, effectiveRetrySchedule } from '@/lib/destinations/retry-schedule';

describe('the default retry schedule', () => {
  it('is the one the database gives a destination created without one', () => {
    const schema = readFileSync(join(import.meta.dirname, '..', '..', 'prisma', 'schema.prisma'), 'utf8');
    const column = /retrySchedule\s+Int\[\]\s+@default\(\[([\d,\s]+)\]\)/.exec(schema);
    expect(column).not.toBeNull();
    expect(column![1]!.split(',').map((n) => Number(n.trim()))).toEqual([...DEFAULT_RETRY_SCHEDULE]);
  });

  it('applies when a destination has an empty schedule, and not otherwise', () => {
    expect(effectiveRetrySchedule([])).toBe(DEFAULT_RETRY_SCHEDULE);
    expect(effectiveRetrySchedule(null)).toBe(DEFAULT_RETRY_SCHEDULE);
    expect(effectiveRetrySchedule([0, 1])).toEqual([0, 1]);
  });
});
