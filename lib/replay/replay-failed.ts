/**
 * Replaying what someone picked in the failed queue. The bulk replay's filter cannot name
 * deliveries one by one, so each selected delivery is replayed on its own with `replayEvent`
 * (to its destination only): the same outcome as a bulk replay gives each matched delivery — a
 * new delivery, due now, with `replay_of_id` and `replayed_by`, audited as `event.replay` with
 * who asked — so the two buttons of the queue mean the same thing.
 *
 * Only what is still in the queue (isAwaitingReplay) is replayed: a selection made on a page that has gone stale
 * (someone else replayed or retried a row since) skips those rows instead of sending them twice.
 */
import type { Principal } from '@/lib/auth/principal';
import { sql as defaultSql } from '@/lib/db/sql';
import { isAwaitingReplay } from '@/lib/deliveries/awaiting-replay';
import { replayEvent } from './replay-event';
import { AppError } from '@/lib/http/errors';
import { type FailedFilter, type FailedGroupKey, MAX_SELECTION } from '@/lib/deliveries/failed.schema';
import { listFailedGroupDeliveries } from '@/lib/deliveries/failed-groups';

export interface ReplaySelectedResult {
  /** Selected delivery → the new delivery that re-sends it. */
  replayed: { deliveryId: string; newDeliveryId: string; eventId: string }[];
  skipped: { deliveryId: string; reason: string }[];
}

export async function replayFailedDeliveries(deliveryIds: string[], actor: Principal, ip?: string | null): Promise<ReplaySelectedResult> {
  const ids = [...new Set(deliveryIds)];
  if (ids.length === 0) return { replayed: [], skipped: [] };
  if (ids.length > MAX_SELECTION) throw new AppError('invalid_input', `At most ${MAX_SELECTION} deliveries at a time`);
  const sql = defaultSql();
  const rows = await sql<{ id: string; event_id: string; destination_id: string; status: string; waiting: boolean }[]>`
    SELECT d.id::text, d.event_id::text, d.destination_id::text, d.status::text, ${isAwaitingReplay(sql)} AS waiting
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
    if (row.status !== 'failed') {
      result.skipped.push({ deliveryId: id, reason: `No longer failed (now ${row.status.replace('_', ' ')})` });
      continue;
    }
    if (!row.waiting) {
      result.skipped.push({ deliveryId: id, reason: 'Already replayed' });
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

/**
 * The Replay button of one group of the queue: the group's deliveries (newest first, at most
 * MAX_SELECTION per press; the answer says how many are left), replayed as a selection is.
 */
export async function replayFailedGroup(
  key: FailedGroupKey,
  filter: FailedFilter,
  actor: Principal,
  ip?: string | null,
): Promise<ReplaySelectedResult & { remaining: boolean }> {
  const page = await listFailedGroupDeliveries(key, filter, { limit: MAX_SELECTION });
  const result = await replayFailedDeliveries(
    page.data.map((row) => row.id),
    actor,
    ip,
  );
  return { ...result, remaining: page.nextCursor !== null };
}

export interface ReplayOutcome {
  succeeded: number;
  /** Failed again (back in the queue). */
  failed: number;
  /** Not finished yet: pending (held or not) or in flight. */
  waiting: number;
  cancelled: number;
}

/** What became of the new deliveries a selective replay made: watched by the queue until nothing waits. */
export async function replayOutcome(deliveryIds: string[]): Promise<ReplayOutcome> {
  const outcome: ReplayOutcome = { succeeded: 0, failed: 0, waiting: 0, cancelled: 0 };
  if (deliveryIds.length === 0) return outcome;
  const rows = await defaultSql()<{ status: string; n: number }[]>`
    SELECT status::text, count(*)::int AS n FROM deliveries WHERE id = ANY(${deliveryIds}::uuid[]) GROUP BY 1`;
  for (const row of rows) {
    if (row.status === 'succeeded') outcome.succeeded += row.n;
    else if (row.status === 'failed') outcome.failed += row.n;
    else if (row.status === 'cancelled') outcome.cancelled += row.n;
    else outcome.waiting += row.n;
  }
  return outcome;
}
