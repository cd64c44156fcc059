/**
 * Retry: the same delivery row goes back to the queue, due now (docs/replay-and-retention.md).
 * Audited with who asked.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { db } from '@/lib/db/prisma';
import { retryDeliveryRow } from '@/lib/deliveries/lifecycle/requeue-deliveries';
import { derivedStatus } from '@/lib/deliveries/lifecycle/state-machine';
import { conflict, notFound } from '@/lib/http/errors';
import { wakeWorkers } from '@/lib/db/wake-workers';
import { isUuid } from '@/lib/db/ids';
import { effectiveRetrySchedule } from '@/lib/destinations/retry-schedule';

export interface RetryResult {
  id: string;
  eventId: string;
  status: 'pending' | 'paused';
  attemptCount: number;
  nextAttemptAt: Date;
  /** True when the retry schedule starts over (the delivery had failed, or used its schedule up). */
  scheduleRestarted: boolean;
}

/**
 * Puts a failed, cancelled or pending delivery back in the queue, due now. Its attempts stay.
 * A failed delivery gets its whole retry schedule again (attempt_count = 0): the receiver was
 * presumably fixed, and one flaky answer should not make it fail again at once. A pending or
 * cancelled one keeps its place in the schedule: the manual attempt replaces the one it was
 * waiting for. To a paused destination it is held (reported paused) until resume.
 */
export async function retryDelivery(id: string, actor: Principal, ip?: string | null): Promise<RetryResult> {
  if (!isUuid(id)) throw notFound('Delivery');
  const result = await db().$transaction(async (tx) => {
    const [found] = await tx.$queryRaw<{ event_id: string }[]>`SELECT event_id::text FROM deliveries WHERE id = ${id}::uuid`;
    if (!found) throw notFound('Delivery');
    // The event first, as an insert referencing it would (KEY SHARE): retention skips locked
    // events, so the delivery cannot be deleted under a retry. Then the delivery itself, which a
    // worker's claim (SKIP LOCKED) then leaves alone until we commit.
    await tx.$queryRaw`SELECT 1 FROM events WHERE id = ${found.event_id}::uuid FOR KEY SHARE`;
    const [row] = await tx.$queryRaw<
      {
        status: string;
        attempt_count: number;
        next_attempt_at: Date;
        destination_status: string;
        destination_name: string;
        retry_schedule: number[];
      }[]
    >`
      SELECT d.status::text, d.attempt_count, d.next_attempt_at, t.status::text AS destination_status, t.name AS destination_name, t.retry_schedule
      FROM deliveries d JOIN destinations t ON t.id = d.destination_id
      WHERE d.id = ${id}::uuid FOR UPDATE OF d`;
    if (!row) throw notFound('Delivery');
    if (row.status === 'in_flight') throw conflict('The delivery is being sent right now; wait for this attempt to finish');
    if (row.status === 'succeeded') {
      throw conflict(`The delivery already succeeded; to send it again, replay its event (POST /api/v1/events/${found.event_id}/replay)`);
    }
    if (derivedStatus(row.status, row.destination_status) === 'paused')
      throw conflict(`The delivery is held because ${row.destination_name} is paused; resume the destination to send it`);
    if (row.destination_status === 'disabled') throw conflict(`${row.destination_name} is disabled; resume it before retrying its deliveries`);

    const scheduleLength = effectiveRetrySchedule(row.retry_schedule).length;
    const restart = row.status === 'failed' || row.attempt_count >= scheduleLength;
    const status = row.destination_status === 'paused' ? 'paused' : 'pending';
    const updated = await retryDeliveryRow(tx, id, restart);
    if (!updated) throw conflict('The delivery changed while it was being retried; try again');
    await recordAudit(
      actor,
      {
        action: 'delivery.retry',
        targetType: 'delivery',
        targetId: id,
        before: { status: row.status, attemptCount: row.attempt_count, nextAttemptAt: row.next_attempt_at },
        after: { status, attemptCount: updated!.attempt_count, nextAttemptAt: updated!.next_attempt_at, scheduleRestarted: restart },
        ip,
      },
      tx,
    );
    return {
      id,
      eventId: found.event_id,
      status,
      attemptCount: updated!.attempt_count,
      nextAttemptAt: updated!.next_attempt_at,
      scheduleRestarted: restart,
    } satisfies RetryResult;
  });
  if (result.status === 'pending') wakeWorkers();
  return result;
}
