/** The answer of GET /overview (lib/overview/load-overview.ts). */
import { z } from 'zod';
import { ALERT_KINDS } from '@/lib/alerts/alert-kinds';
import { OVERVIEW_RANGES, type OverviewRange } from '@/lib/overview/overview-ranges';
import { timestamp } from '../responses.schema';

const count = z.number().int();
const percent = (what: string) =>
  z
    .number()
    .nullable()
    .meta({ description: `${what} in percent; null when there is nothing to divide by.` });

const pointFields = {
  received: count,
  accepted: count,
  rejected: count,
  duplicates: count,
  attempts: count.meta({ description: 'Delivery attempts; `succeeded` and `failed` say how they ended.' }),
  succeeded: count,
  failed: count,
  exhausted: count.meta({ description: 'Deliveries that exhausted their retry schedule.' }),
  errorRate: percent('Failed attempts of attempts'),
  p50Ms: z.number().nullable().meta({ description: 'Upper bound (ms) of the latency bucket holding the 50th percentile; null without attempts.' }),
  p95Ms: z.number().nullable().meta({ description: 'Upper bound (ms) of the latency bucket holding the 95th percentile; null without attempts.' }),
};

export const overviewSchema = z
  .object({
    range: z.enum(Object.keys(OVERVIEW_RANGES) as [OverviewRange, ...OverviewRange[]]),
    bucketMs: count.meta({ description: "Width of one point's bucket." }),
    from: timestamp,
    to: timestamp,
    points: z
      .array(z.object({ time: timestamp.meta({ description: "Start of the point's bucket." }), ...pointFields }))
      .meta({ description: 'Zero-filled, oldest first.' }),
    totals: z.object({ ...pointFields, rejectionRate: percent('Rejected requests of received ones'), avgLatencyMs: z.number().nullable() }),
    failingDestinations: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          status: z.string(),
          attempts: count,
          failed: count,
          exhausted: count,
          errorRate: z.number().meta({ description: "Failed attempts in percent of this destination's attempts in the range." }),
        }),
      )
      .meta({ description: 'The destinations with the most failed attempts in the range (top 5, only those with failures).' }),
    filter: z.object({ sourceId: z.string().nullable(), destinationId: z.string().nullable() }),
    queue: z.object({
      depth: count.meta({ description: 'Pending and in-flight deliveries, counted up to a cap.' }),
      failed: count.meta({ description: 'Failed deliveries waiting for someone to replay them.' }),
      depthCapped: z.boolean().meta({ description: 'True when `depth` reached the cap (show it as "100,000+").' }),
      failedCapped: z.boolean(),
      oldestPendingAt: timestamp.nullable(),
      oldestPendingAgeSeconds: z.number().nullable(),
    }),
    openAlerts: z.object({
      count,
      latest: z.array(
        z.object({
          id: z.string(),
          kind: z.enum(ALERT_KINDS),
          message: z.string(),
          count,
          createdAt: timestamp,
          destination: z.object({ id: z.string(), name: z.string() }).nullable(),
        }),
      ),
    }),
    counts: z.object({ activeSources: count, sources: count, activeDestinations: count, destinations: count }),
  })
  .meta({ id: 'Overview' });
