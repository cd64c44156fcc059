/**
 * Replaying what someone picked in the failed queue. The bulk replay's filter cannot name
 * deliveries one by one, so each selected delivery is replayed on its own with `replayEvent`
 * (to its destination only): the same outcome as a bulk replay gives each matched delivery — a
 * new delivery, due now, with `replay_of_id` and `replayed_by`, audited as `event.replay` with
 * who asked — so the two buttons of the queue mean the same thing.
 *
 * Only what is still in the queue is replayed: a selection made on a page that has gone stale
 * (someone else replayed or retried a row since) skips those rows instead of sending them twice.
 */
import type { Principal } from '@/lib/auth/principal';
import { db } from '@/lib/db/prisma';
import { replayEvent } from './replay-event';
import { AppError } from '@/lib/http/errors';
import { MAX_SELECTION } from '@/lib/deliveries/failed.schema';

export interface ReplaySelectedResult {
  /** Selected delivery → the new delivery that re-sends it. */
  replayed: { deliveryId: string; newDeliveryId: string; eventId: string }[];
  skipped: { deliveryId: string; reason: string }[];
}

export async function replayFailedDeliveries(deliveryIds: string[], actor: Principal, ip?: string | null): Promise<ReplaySelectedResult> {
  const ids = [...new Set(deliveryIds)];
  if (ids.length === 0) return { replayed: [], skipped: [] };
  if (ids.length > MAX_SELECTION) throw new AppError('invalid_input', `At most ${MAX_SELECTION} deliveries at a time`);
  const rows = await db().$queryRaw<{ id: string; event_id: string; destination_id: string; status: string; superseded: boolean }[]>`
    SELECT d.id::text, d.event_id::text, d.destination_id::text, d.status::text,
           EXISTS (SELECT 1 FROM deliveries n
                   WHERE n.event_id = d.event_id AND n.destination_id = d.destination_id AND (n.created_at, n.id) > (d.created_at, d.id)) AS superseded
    FROM deliveries d WHERE d.id = ANY(${ids}::uuid[])
    ORDER BY d.created_at, d.id`;
  const found = new Map(rows.map((row) => [row.id, row]));
  const result: ReplaySelectedResult = { replayed: [], skipped: [] };
  for (const id of ids) {
    const row = found.get(id);
    if (!row) {
      result.skipped.push({ deliveryId: id, reason: 'No longer exists (removed by retention?)' });
      continue;
    }
    if (row.superseded) {
      result.skipped.push({ deliveryId: id, reason: 'Already replayed' });
      continue;
    }
    if (row.status !== 'failed') {
      result.skipped.push({ deliveryId: id, reason: `No longer failed (now ${row.status.replace('_', ' ')})` });
      continue;
    }
    try {
      const replay = await replayEvent(row.event_id, { destinationId: row.destination_id }, actor, ip);
      const newDeliveryId = replay.deliveries[0];
      if (newDeliveryId) result.replayed.push({ deliveryId: id, newDeliveryId, eventId: row.event_id });
      else result.skipped.push({ deliveryId: id, reason: replay.skipped[0]?.reason ?? 'Not replayed' });
    } catch (error) {
      // A conflict (destination disabled) or a vanished event: report it, carry on with the rest.
      if (error instanceof AppError) result.skipped.push({ deliveryId: id, reason: error.message });
      else throw error;
    }
  }
  return result;
}
