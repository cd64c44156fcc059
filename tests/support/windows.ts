/** Sliding-window counts over timestamps, for rate-limit tests. */

/** The most of `times` (ms) that fall in any half-open window [t, t + widthMs). */
export function maxInWindow(times: readonly number[], widthMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= widthMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
