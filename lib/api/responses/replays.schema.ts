/** Answers of the bulk replay operations (lib/replay/bulk-replay-status.ts, lib/replay/start-bulk-replay.ts). */
import { z } from 'zod';
import { DELIVERY_STATUSES } from '@/lib/list-filters/list-filter.schema';
import { timestamp } from '../responses.schema';

const replayFields = {
  id: z.string(),
  status: z.enum(['pending', 'running', 'completed', 'cancelled', 'failed']),
  filter: z.looseObject({}).meta({ description: 'The filter it replays, as it was given.' }),
  total: z.number().int().meta({ description: 'Deliveries it will create.' }),
  processed: z.number().int().meta({ description: 'Deliveries created so far.' }),
  ratePerSecond: z.number().int(),
  createdBy: z.string(),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  cancelledBy: z.string().nullable(),
};

export const replaySummarySchema = z.object(replayFields).meta({ id: 'ReplaySummary' });

export const replaySchema = z
  .object({
    ...replayFields,
    deliveries: z.partialRecord(z.enum(DELIVERY_STATUSES), z.number().int()).meta({ description: 'The new deliveries so far, by status.' }),
    heldByCircuit: z
      .object({ count: z.number().int(), nextProbeAt: timestamp })
      .nullable()
      .meta({ description: 'Of the pending ones, those an open circuit holds, and the soonest next probe. Null when none is held.' }),
  })
  .meta({ id: 'Replay' });

export const cancelledReplaySchema = replaySchema
  .extend({ cancelledDeliveries: z.number().int().meta({ description: 'Deliveries not sent yet that this cancel cancelled.' }) })
  .meta({ id: 'CancelledReplay' });

export const startedReplaySchema = z
  .object({ id: z.string(), count: z.number().int().meta({ description: 'Deliveries it will create.' }) })
  .meta({ id: 'StartedReplay' });

export const replayDryRunSchema = z.object({ count: z.number().int().meta({ description: 'Deliveries a replay would create.' }) }).meta({ id: 'ReplayDryRun' });
