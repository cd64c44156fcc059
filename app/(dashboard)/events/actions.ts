'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { serverAction } from '@/app/_server/server-action';
import { replayEvent } from '@/lib/replay/replay-event';
import { retryDelivery } from '@/lib/replay/retry-delivery';

/**
 * Replay and retry from the event page. SUPPORT or ADMIN, checked here on the server whatever
 * the page showed; the domain functions write the audit entries.
 */
export const replayEventAction = serverAction(
  'SUPPORT',
  z.strictObject({ eventId: z.uuid(), destinationId: z.uuid().optional() }),
  async ({ eventId, destinationId }, { principal, ip }) => {
    const result = await replayEvent(eventId, destinationId ? { destinationId } : {}, principal, ip);
    revalidatePath(`/events/${eventId}`);
    return result;
  },
);

export const retryDeliveryAction = serverAction('SUPPORT', z.strictObject({ deliveryId: z.uuid() }), async ({ deliveryId }, { principal, ip }) => {
  const result = await retryDelivery(deliveryId, principal, ip);
  revalidatePath(`/events/${result.eventId}`);
  return { ...result, nextAttemptAt: result.nextAttemptAt.toISOString() };
});
