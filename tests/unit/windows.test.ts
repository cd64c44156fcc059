import { describe, expect, it } from 'vitest';
import { maxInWindow } from '../support/windows';

describe('maxInWindow (the rate-limit tests rely on it)', () => {
  it.each([
    { times: [], width: 1000, max: 0 },
    { times: [5], width: 1000, max: 1 },
    // Exactly a window apart: a half-open window holds only one of them.
    { times: [0, 1000], width: 1000, max: 1 },
    { times: [0, 999], width: 1000, max: 2 },
    // Calendar seconds count 2 and 2 here; a sliding window finds all 4 within 20 ms.
    { times: [990, 995, 1005, 1010], width: 1000, max: 4 },
    { times: [0, 990, 995, 1000, 1010, 2500], width: 1000, max: 4 },
    { times: [3000, 100, 2000, 1050, 1100], width: 1000, max: 3 }, // unsorted input: 1050, 1100, 2000
  ])('$times in $width ms windows: at most $max', ({ times, width, max }) => {
    expect(maxInWindow(times, width)).toBe(max);
  });
});
