/**
 * Replay of one event: new delivery rows, to one or every destination it went to
 * (docs/replay-and-retention.md). Audited; replayed rows carry `replayed_by` and `replay_of_id`.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { insertReplayOf } from '@/lib/deliveries/lifecycle/create-deliveries';
import type { ReplayEventInput } from './replay.schema';
import { AppError, conflict, notFound } from '@/lib/http/errors';
import { wakeWorkers } from '@/lib/db/wake-workers';
import { isUuid } from '@/lib/db/ids';

export interface ReplayEventResult {
  /** Ids of the new deliveries. */
  deliveries: string[];
  /** Destinations left out: disabled ones (only when replaying to all). */
  skipped: { destinationId: string; reason: string }[];
}

/**
 * New deliveries of an event: to `destinationId`, or to every destination it was delivered to
 * before (never to others: the routes decided who sees an event). Each replays the latest
 * delivery to its destination, keeps its ordering key (so it queues behind that key's unfinished
 * deliveries), and is due now.
 */
export async function replayEvent(eventId: string, input: ReplayEventInput, actor: Principal, ip?: string | null): Promise<ReplayEventResult> {
  if (!isUuid(eventId)) throw notFound('Event');
  const result = await db().$transaction(async (tx) => {
    // KEY SHARE, as the inserts below would take anyway: retention cannot delete the event meanwhile.
    const [event] = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM events WHERE id = ${eventId}::uuid FOR KEY SHARE`;
    if (!event) throw notFound('Event');
    if (input.destinationId) {
      const destination = await tx.destination.findUnique({ where: { id: input.destinationId }, select: { id: true } });
      if (!destination) throw notFound('Destination');
    }
    const latest = await tx.$queryRaw<{ id: string; destination_id: string; destination_status: string; destination_name: string }[]>`
      SELECT DISTINCT ON (d.destination_id) d.id::text, d.destination_id::text, t.status::text AS destination_status, t.name AS destination_name
      FROM deliveries d JOIN destinations t ON t.id = d.destination_id
      WHERE d.event_id = ${eventId}::uuid
        AND (${input.destinationId ?? null}::uuid IS NULL OR d.destination_id = ${input.destinationId ?? null}::uuid)
      ORDER BY d.destination_id, d.created_at DESC, d.id DESC`;
    if (latest.length === 0) {
      throw new AppError(
        'invalid_input',
        input.destinationId
          ? 'The event was never delivered to this destination; replay sends an event only where its routes sent it'
          : 'The event has no deliveries to replay (no route matched it)',
        [{ path: input.destinationId ? 'destinationId' : '', message: 'no delivery to replay' }],
      );
    }
    const skipped = latest.filter((row) => row.destination_status === 'disabled');
    if (input.destinationId && skipped.length > 0) throw conflict(`${skipped[0]!.destination_name} is disabled; resume it before replaying to it`);
    const targets = latest.filter((row) => row.destination_status !== 'disabled');
    if (targets.length === 0) throw conflict('Every destination of this event is disabled; resume one before replaying');

    const created: { id: string; destinationId: string; replayOf: string }[] = [];
    for (const target of targets) {
      const id = newId();
      await insertReplayOf(tx, { id, of: target.id, replayedBy: actor.label });
      created.push({ id, destinationId: target.destination_id, replayOf: target.id });
    }
    const skippedOut = skipped.map((row) => ({ destinationId: row.destination_id, reason: `${row.destination_name} is disabled` }));
    await recordAudit(
      actor,
      {
        action: 'event.replay',
        targetType: 'event',
        targetId: eventId,
        after: { destinationId: input.destinationId ?? null, deliveries: created, skipped: skippedOut },
        ip,
      },
      tx,
    );
    return { deliveries: created.map((row) => row.id), skipped: skippedOut };
  });
  wakeWorkers();
  return result;
}
