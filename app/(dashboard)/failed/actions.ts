'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { serverAction } from '@/app/_server/server-action';
import { countReplayMatches } from '@/lib/replay/bulk-replay-match';
import { cancelReplay } from '@/lib/replay/bulk-replay-status';
import { startBulkReplay } from '@/lib/replay/start-bulk-replay';
import { DEFAULT_REPLAY_RATE, MAX_REPLAY_RATE } from '@/lib/replay/replay.schema';
import { listFailedGroupDeliveries } from '@/lib/deliveries/failed-groups';
import { failedFilterSchema, failedGroupKeySchema, listGroupDeliveriesSchema, MAX_SELECTION, replaySelectedSchema } from '@/lib/deliveries/failed.schema';
import { replayFailedDeliveries, replayFailedGroup, replayOutcome } from '@/lib/replay/replay-failed';
import { probeDestinationNow } from '@/lib/worker/probe-now';

/**
 * The failed queue's actions. Reading a group's deliveries is for every role; everything that
 * sends again is SUPPORT or ADMIN, checked here whatever the page showed, and audited by the
 * domain functions (`replay.create`, `replay.cancel`, `event.replay`).
 */

export const listGroupDeliveriesAction = serverAction('VIEWER', listGroupDeliveriesSchema, async ({ key, filter, cursor }) => {
  const page = await listFailedGroupDeliveries(key, filter, { cursor });
  return JSON.parse(JSON.stringify(page)) as { data: GroupDeliveryJson[]; nextCursor: string | null };
});

export interface GroupDeliveryJson {
  id: string;
  eventId: string;
  eventDedupKey: string | null;
  eventType: string | null;
  receivedAt: string;
  size: number;
  source: { id: string; name: string };
  createdAt: string;
  failedAt: string;
  attemptCount: number;
  lastError: string | null;
  lastStatusCode: number | null;
  replayOfId: string | null;
}

/** The bulk replay's filter for "everything in the queue that matches": the queue's filter, failed only. */
const replayFilterOf = (filter: z.infer<typeof failedFilterSchema>) => ({ ...filter, status: 'failed' as const });

/** The dry run: how many deliveries "replay all that match" would send again right now. */
export const countMatchingAction = serverAction('SUPPORT', z.strictObject({ filter: failedFilterSchema }), async ({ filter }) => ({
  count: await countReplayMatches(replayFilterOf(filter)),
}));

export const startReplayAction = serverAction(
  'SUPPORT',
  z.strictObject({ filter: failedFilterSchema, ratePerSecond: z.number().int().min(1).max(MAX_REPLAY_RATE).default(DEFAULT_REPLAY_RATE) }),
  async ({ filter, ratePerSecond }, { principal, ip }) => {
    const started = await startBulkReplay(replayFilterOf(filter), principal, ip, { ratePerSecond });
    revalidatePath('/failed');
    return started;
  },
);

export const replaySelectedAction = serverAction('SUPPORT', replaySelectedSchema, async ({ deliveryIds }, { principal, ip }) => {
  const result = await replayFailedDeliveries(deliveryIds, principal, ip);
  revalidatePath('/failed');
  return result;
});

export const cancelReplayAction = serverAction('SUPPORT', z.strictObject({ id: z.uuid() }), async ({ id }, { principal, ip }) => {
  const result = await cancelReplay(id, principal, ip);
  revalidatePath('/failed');
  return { status: result.status, cancelledDeliveries: result.cancelledDeliveries };
});

/** An open circuit probes now instead of after its cool-down (audited as `destination.probe`). */
export const probeNowAction = serverAction('SUPPORT', z.strictObject({ id: z.uuid() }), async ({ id }, { principal, ip }) => {
  const result = await probeDestinationNow(id, principal, ip);
  revalidatePath('/failed');
  return { id: result.id, nextProbeAt: result.nextProbeAt.toISOString() };
});

/** One group's Replay button: its deliveries (at most MAX_SELECTION per press), each replayed as a selection is. */
export const replayGroupAction = serverAction(
  'SUPPORT',
  z.strictObject({ key: failedGroupKeySchema, filter: failedFilterSchema }),
  async ({ key, filter }, { principal, ip }) => {
    const result = await replayFailedGroup(key, filter, principal, ip);
    revalidatePath('/failed');
    return result;
  },
);

/** What became of the deliveries a selective or group replay made (read-only; the queue watches it until they finish). */
export const replayOutcomeAction = serverAction('VIEWER', z.strictObject({ deliveryIds: z.array(z.uuid()).max(MAX_SELECTION) }), async ({ deliveryIds }) =>
  replayOutcome(deliveryIds),
);
