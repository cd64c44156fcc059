/**
 * The overview's ranges and filters, shared by the page (search params), the JSON API and the
 * series queries. Each range has a fixed point width, so a chart always has the same number of
 * points: 60 one-minute points for an hour, 96 quarter-hours for a day, 168 hours for a week and
 * 120 six-hour points for 30 days.
 */
import { z } from 'zod';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const OVERVIEW_RANGES = {
  '1h': { label: 'Last hour', short: '1h', durationMs: HOUR, bucketMs: MINUTE, bucketLabel: 'minute' },
  '24h': { label: 'Last 24 hours', short: '24h', durationMs: DAY, bucketMs: 15 * MINUTE, bucketLabel: '15 minutes' },
  '7d': { label: 'Last 7 days', short: '7d', durationMs: 7 * DAY, bucketMs: HOUR, bucketLabel: 'hour' },
  '30d': { label: 'Last 30 days', short: '30d', durationMs: 30 * DAY, bucketMs: 6 * HOUR, bucketLabel: '6 hours' },
} as const;

export type OverviewRange = keyof typeof OVERVIEW_RANGES;
export const OVERVIEW_RANGE_IDS = Object.keys(OVERVIEW_RANGES) as OverviewRange[];
export const DEFAULT_OVERVIEW_RANGE: OverviewRange = '24h';

export const overviewQuerySchema = z
  .strictObject({
    range: z.enum(OVERVIEW_RANGE_IDS as [OverviewRange, ...OverviewRange[]]).default(DEFAULT_OVERVIEW_RANGE),
    sourceId: z.uuid('Not a source id').optional(),
    destinationId: z.uuid('Not a destination id').optional(),
  })
  .refine((value) => !(value.sourceId && value.destinationId), {
    path: ['destinationId'],
    message: 'Filter by a source or by a destination, not both',
  });

export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

/**
 * The page's reading of its search params: anything invalid falls back to the default instead of
 * an error page, because these URLs are typed, shared and bookmarked by people.
 */
export function overviewQueryFromSearchParams(params: Record<string, string | string[] | undefined>): OverviewQuery {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;
  const range = z.enum(OVERVIEW_RANGE_IDS as [OverviewRange, ...OverviewRange[]]).safeParse(first(params.range));
  const sourceId = z.uuid().safeParse(first(params.sourceId));
  const destinationId = z.uuid().safeParse(first(params.destinationId));
  return {
    range: range.success ? range.data : DEFAULT_OVERVIEW_RANGE,
    ...(sourceId.success ? { sourceId: sourceId.data } : destinationId.success ? { destinationId: destinationId.data } : {}),
  };
}

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
