/**
 * Input schemas of routes (source → destination), shared by the JSON API and the dashboard forms.
 * A route's source and destination are fixed once created; make a new route to change them.
 */
import { z } from 'zod';
import { transformSourceSchema } from '@/lib/transforms/transforms.schema';
import { eventTypePatternSchema, routeFilterSchema } from './route-filter';

export const MAX_EVENT_TYPE_PATTERNS = 100;

const eventTypesSchema = z
  .array(eventTypePatternSchema)
  .max(MAX_EVENT_TYPE_PATTERNS, `At most ${MAX_EVENT_TYPE_PATTERNS} patterns`)
  // Duplicates are harmless but noisy in the dashboard.
  .transform((patterns) => [...new Set(patterns)]);

export const createRouteSchema = z.strictObject({
  sourceId: z.uuid('Not a source id'),
  destinationId: z.uuid('Not a destination id'),
  /** Event-type patterns such as "order.*"; empty or absent means every event. */
  eventTypes: eventTypesSchema.optional(),
  /** JSON conditions on the payload (see lib/routes/route-filter.ts); null or absent means none. */
  filter: routeFilterSchema.nullable().optional(),
  /** JavaScript defining `function transform(event)` (docs/transformations.md); null or absent means none. Compiled at save time. */
  transform: transformSourceSchema.nullable().optional(),
  enabled: z.boolean().optional(),
});
export type CreateRouteInput = z.infer<typeof createRouteSchema>;

export const updateRouteSchema = z
  .strictObject({
    eventTypes: eventTypesSchema.optional(),
    filter: routeFilterSchema.nullable().optional(),
    transform: transformSourceSchema.nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'Nothing to change: send eventTypes, filter, transform or enabled');
export type UpdateRouteInput = z.infer<typeof updateRouteSchema>;

export const listRoutesQuerySchema = z.strictObject({
  sourceId: z.uuid('Not a source id').optional(),
  destinationId: z.uuid('Not a destination id').optional(),
});
export type ListRoutesQuery = z.infer<typeof listRoutesQuerySchema>;
