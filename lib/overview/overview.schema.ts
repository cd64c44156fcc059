/** The overview's query: a range and an optional source or destination, from the URL or the API. */
import { z } from 'zod';
import { DEFAULT_OVERVIEW_RANGE, OVERVIEW_RANGE_IDS, type OverviewRange } from './overview-ranges';

export { DEFAULT_OVERVIEW_RANGE, OVERVIEW_RANGE_IDS, OVERVIEW_RANGES, type OverviewRange, overviewWindow } from './overview-ranges';

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
