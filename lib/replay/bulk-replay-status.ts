/** A bulk replay's progress, the list of replays, and cancelling one. */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { db } from '@/lib/db/prisma';
import { cancelReplayDeliveries } from '@/lib/deliveries/lifecycle/requeue-deliveries';
import { circuitHold, derivedStatus } from '@/lib/deliveries/lifecycle/state-machine';
import { notFound } from '@/lib/http/errors';
import { isUuid } from '@/lib/db/ids';

export interface ReplayView {
  id: string;
  status: string;
  filter: unknown;
  total: number;
  processed: number;
  ratePerSecond: number;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelledBy: string | null;
  /** The new deliveries so far, by status. */
  deliveries: Partial<Record<string, number>>;
  /**
   * Of the pending ones, those an open circuit holds (still counted as pending above), and the
   * soonest next probe of their destinations (a past time: due now). Null when none is held.
   */
  heldByCircuit: { count: number; nextProbeAt: Date } | null;
}

async function replayView(id: string): Promise<ReplayView> {
  if (!isUuid(id)) throw notFound('Replay');
  const replay = await db().replay.findUnique({ where: { id } });
  if (!replay) throw notFound('Replay');
  const counts = await db().delivery.groupBy({ by: ['status', 'destinationId'], where: { replayId: id }, _count: { _all: true } });
  const destinations = await db().destination.findMany({
    where: { id: { in: [...new Set(counts.map((row) => row.destinationId))] } },
    select: { id: true, status: true, circuitState: true, circuitRetryAt: true },
  });
  const destinationById = new Map(destinations.map((row) => [row.id, row]));
  const byStatus: Partial<Record<string, number>> = {};
  let heldCount = 0;
  let soonestProbe: Date | null = null;
  for (const row of counts) {
    const destination = destinationById.get(row.destinationId) ?? { status: 'active', circuitState: 'closed', circuitRetryAt: null };
    const status = derivedStatus(row.status, destination.status);
    byStatus[status] = (byStatus[status] ?? 0) + row._count._all;
    const hold = circuitHold(row.status, destination);
    if (hold) {
      heldCount += row._count._all;
      if (!soonestProbe || hold.nextProbeAt < soonestProbe) soonestProbe = hold.nextProbeAt;
    }
  }
  const heldByCircuit = soonestProbe ? { count: heldCount, nextProbeAt: soonestProbe } : null;
  return {
    id: replay.id,
    status: replay.status,
    filter: replay.filter,
    total: replay.total,
    processed: replay.processed,
    ratePerSecond: replay.ratePerSecond,
    createdBy: replay.createdBy,
    createdAt: replay.createdAt,
    startedAt: replay.startedAt,
    finishedAt: replay.finishedAt,
    cancelledBy: replay.cancelledBy,
    deliveries: byStatus,
    heldByCircuit,
  };
}

export const getReplay = (id: string): Promise<ReplayView> => replayView(id);

export async function listReplays(limit = 50): Promise<Omit<ReplayView, 'deliveries' | 'heldByCircuit'>[]> {
  const rows = await db().replay.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
  return rows.map(({ cursor: _cursor, ...row }) => row);
}

/**
 * Stops a bulk replay: no more deliveries are created, and those it created that are not sent
 * yet (pending or held) become cancelled. Sends already under way finish. Cancelling twice is
 * a no-op; a completed replay can still be cancelled while its deliveries wait.
 */
export async function cancelReplay(id: string, actor: Principal, ip?: string | null): Promise<ReplayView & { cancelledDeliveries: number }> {
  if (!isUuid(id)) throw notFound('Replay');
  const cancelled = await db().$transaction(async (tx) => {
    // Waits for a worker's tick on this replay to commit, so its rows are cancelled too.
    const [row] = await tx.$queryRaw<{ status: string; processed: number }[]>`
      SELECT status::text, processed FROM replays WHERE id = ${id}::uuid FOR UPDATE`;
    if (!row) throw notFound('Replay');
    if (row.status === 'cancelled') return 0;
    await tx.$executeRaw`
      UPDATE replays SET status = 'cancelled', cancelled_by = ${actor.label}, finished_at = COALESCE(finished_at, now())
      WHERE id = ${id}::uuid`;
    const cancelled = await cancelReplayDeliveries(tx, id);
    await recordAudit(
      actor,
      {
        action: 'replay.cancel',
        targetType: 'replay',
        targetId: id,
        before: { status: row.status, processed: row.processed },
        after: { status: 'cancelled', cancelledDeliveries: cancelled },
        ip,
      },
      tx,
    );
    return cancelled;
  });
  return { ...(await replayView(id)), cancelledDeliveries: cancelled };
}
