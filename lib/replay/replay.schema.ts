/** What a bulk replay or a single replay takes: the deliveries list's filters, and a pace. */
import { z } from 'zod';
import { checkFilter, filterFields } from '@/lib/list-filters/list-filter.schema';

/** Bulk replays re-send finished deliveries only: pending and paused ones will be sent anyway. */
export const REPLAYABLE_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;
export const DEFAULT_REPLAY_RATE = 50;
export const MAX_REPLAY_RATE = 1000;

/**
 * What a bulk replay matches: the deliveries list's filters. A filter without any field would
 * match every delivery ever made, so it must say so: `{"all": true}`.
 */
export const replayFilterSchema = z
  .strictObject({ ...filterFields, all: z.literal(true).optional() })
  .superRefine(checkFilter)
  .superRefine((value, ctx) => {
    const { all, ...fields } = value;
    if (!all && Object.values(fields).every((field) => field === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'An empty filter matches every delivery: add sourceId, destinationId, status, eventType, from, to or q — or send {"all": true} if you mean it',
      });
    }
    if (value.status && !(REPLAYABLE_STATUSES as readonly string[]).includes(value.status)) {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message: `Only finished deliveries (${REPLAYABLE_STATUSES.join(', ')}) are replayed in bulk; pending and paused ones will be sent anyway (retry one to send it now)`,
      });
    }
  });
export type ReplayFilter = z.infer<typeof replayFilterSchema>;

export const createReplaySchema = z.strictObject({
  filter: replayFilterSchema,
  dryRun: z.boolean().optional(),
  /** New deliveries created per second (default 50), so that live traffic keeps flowing. */
  ratePerSecond: z.number().int().min(1).max(MAX_REPLAY_RATE).optional(),
});
export type CreateReplayInput = z.infer<typeof createReplaySchema>;

export const replayEventSchema = z.strictObject({
  /** One destination the event was delivered to; absent means every one of them. */
  destinationId: z.uuid('Not a destination id').optional(),
});
export type ReplayEventInput = z.infer<typeof replayEventSchema>;
