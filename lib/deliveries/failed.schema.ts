/**
 * The failed-deliveries queue's filters and group keys, shared by the page, its server actions
 * and the grouping queries. The filter fields are the deliveries list's own (events.schema.ts):
 * `from`/`to` are on the delivery's creation time, exactly as a bulk replay reads them, so the
 * count the queue shows is the count "replay everything that matches" re-sends.
 */
import { z } from 'zod';
import { filterFields } from '@/lib/list-filters/list-filter.schema';

export const failedFilterSchema = z
  .strictObject({
    sourceId: filterFields.sourceId,
    destinationId: filterFields.destinationId,
    from: filterFields.from,
    to: filterFields.to,
  })
  .superRefine((value, ctx) => {
    if (value.from && value.to && value.from >= value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`' });
  });
export type FailedFilter = z.infer<typeof failedFilterSchema>;

/**
 * One group of the queue: a destination and one way of failing. `errorKind` is the attempt's
 * error kind (`http_status`, `timeout`, `refused`, …); an HTTP failure is told apart by its status
 * code, any other by the first MESSAGE_PREFIX_LENGTH characters of its message.
 */
export const failedGroupKeySchema = z.strictObject({
  destinationId: z.uuid(),
  errorKind: z.string().min(1).max(64),
  statusCode: z.number().int().min(0).max(999).nullable(),
  messagePrefix: z.string().max(200).nullable(),
});
export type FailedGroupKey = z.infer<typeof failedGroupKeySchema>;

export const MESSAGE_PREFIX_LENGTH = 64;
/** Groups shown at once; the totals still count every group. */
export const MAX_GROUPS = 200;
export const GROUP_PAGE_SIZE = 25;
/** Most deliveries one "replay selected" sends again (each is its own audited replay). */
export const MAX_SELECTION = 200;

export const listGroupDeliveriesSchema = z.strictObject({
  key: failedGroupKeySchema,
  filter: failedFilterSchema,
  cursor: z.string().trim().max(200).optional(),
});
export type ListGroupDeliveriesInput = z.infer<typeof listGroupDeliveriesSchema>;

export const replaySelectedSchema = z.strictObject({
  deliveryIds: z
    .array(z.uuid())
    .min(1, 'Select at least one delivery')
    .max(MAX_SELECTION, `At most ${MAX_SELECTION} at a time; use "Replay all that match" for more`),
});
