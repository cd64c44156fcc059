/**
 * Transitions people cause: `retry` (a failed, cancelled or pending delivery, due now), `cancel`
 * (a bulk replay's unsent deliveries), and what resuming a destination does to its held ones
 * (`release`, which writes nothing).
 */
import type { Prisma } from '@/lib/db/prisma';
import { storedFrom, to } from './state-machine';

/** A Prisma transaction (or client): these run inside the caller's, next to its audit record. */
type Tx = Pick<Prisma.TransactionClient, '$queryRaw' | '$executeRaw'>;

/** `retry`: due now, the lease cleared; with `restartSchedule` its whole retry schedule again. */
export async function retryDeliveryRow(tx: Tx, id: string, restartSchedule: boolean): Promise<{ attempt_count: number; next_attempt_at: Date } | undefined> {
  const [updated] = await tx.$queryRaw<{ attempt_count: number; next_attempt_at: Date }[]>`
    UPDATE deliveries SET status = ${to('retry')}::"DeliveryStatus", next_attempt_at = now(), completed_at = NULL,
      attempt_count = CASE WHEN ${restartSchedule} THEN 0 ELSE attempt_count END,
      lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE id = ${id}::uuid AND status = ANY(${storedFrom('retry')}::"DeliveryStatus"[])
    RETURNING attempt_count, next_attempt_at`;
  return updated;
}

/** `cancel` of every unsent delivery a bulk replay made. Returns how many. */
export function cancelReplayDeliveries(tx: Tx, replayId: string): Promise<number> {
  return tx.$executeRaw`
    UPDATE deliveries SET status = ${to('cancel')}::"DeliveryStatus", completed_at = now(), updated_at = now()
    WHERE replay_id = ${replayId}::uuid AND status = ANY(${storedFrom('cancel')}::"DeliveryStatus"[])`;
}

/**
 * `release` on resume writes nothing: held deliveries are stored pending and became due while
 * the destination was paused, so the claim takes them as soon as it is active. Returns how many
 * were held, as the resume answer's `requeued`.
 */
export async function countHeldDeliveries(tx: Tx, destinationId: string, now: Date): Promise<number> {
  const [row] = await tx.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM deliveries
    WHERE destination_id = ${destinationId}::uuid AND status = ANY(${storedFrom('release')}::"DeliveryStatus"[]) AND next_attempt_at <= ${now}`;
  return row?.count ?? 0;
}
