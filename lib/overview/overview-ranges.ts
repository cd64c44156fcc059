/**
 * The overview's ranges. Each has a fixed point width, so a chart always has the same number of
 * points: 60 one-minute points for an hour, 96 quarter-hours for a day, 168 hours for a week and
 * 120 six-hour points for 30 days. No zod here: the client components import this file.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const OVERVIEW_RANGES = {
  '1h': { label: 'Last hour', short: '1h', durationMs: HOUR, bucketMs: MINUTE, bucketLabel: 'minute', pointLabel: 'one-minute' },
  '24h': { label: 'Last 24 hours', short: '24h', durationMs: DAY, bucketMs: 15 * MINUTE, bucketLabel: '15 minutes', pointLabel: '15-minute' },
  '7d': { label: 'Last 7 days', short: '7d', durationMs: 7 * DAY, bucketMs: HOUR, bucketLabel: 'hour', pointLabel: 'hourly' },
  '30d': { label: 'Last 30 days', short: '30d', durationMs: 30 * DAY, bucketMs: 6 * HOUR, bucketLabel: '6 hours', pointLabel: '6-hour' },
} as const;

export type OverviewRange = keyof typeof OVERVIEW_RANGES;
export const OVERVIEW_RANGE_IDS = Object.keys(OVERVIEW_RANGES) as OverviewRange[];
export const DEFAULT_OVERVIEW_RANGE: OverviewRange = '24h';

/**
 * The points of a range ending now: bucket starts aligned to the Unix epoch (the origin the SQL
 * `date_bin` uses), the last one holding `now` (so it is still filling up).
 */
export function overviewWindow(range: OverviewRange, now: Date) {
  const { durationMs, bucketMs } = OVERVIEW_RANGES[range];
  const count = durationMs / bucketMs;
  const lastStart = Math.floor(now.getTime() / bucketMs) * bucketMs;
  const from = lastStart - (count - 1) * bucketMs;
  return { from: new Date(from), to: new Date(lastStart + bucketMs), bucketMs, count };
}
