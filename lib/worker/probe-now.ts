/**
 * "Probe now": a support user asks for the probe of an open circuit instead of waiting for its
 * cool-down. The circuit becomes half-open and due at once, so the next claim takes one delivery
 * of the destination (docs/delivery.md, Health); its outcome decides as for any probe: a success
 * closes the circuit (and resolves its alert), a failure opens it again. The cool-down it last had
 * is kept (circuit_opened_at moves back by it), so a failed probe doubles it as usual: asking
 * again and again cannot hammer a receiver that is still down any more than waiting would.
 * SUPPORT and ADMIN only (checked by the route and the action), audited as `destination.probe`.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { isUuid } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { wakeWorkers } from '@/lib/db/wake-workers';
import { conflict, notFound } from '@/lib/http/errors';

export interface ProbeRequested {
  id: string;
  circuitState: 'half_open';
  /** When the probe is due: now. */
  nextProbeAt: Date;
}

export async function probeDestinationNow(id: string, actor: Principal, ip?: string | null): Promise<ProbeRequested> {
  if (!isUuid(id)) throw notFound('Destination');
  const after = await db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ status: string; circuit_state: string; circuit_retry_at: Date | null }[]>`
      SELECT status::text, circuit_state::text, circuit_retry_at FROM destinations WHERE id = ${id}::uuid FOR UPDATE`;
    if (!row) throw notFound('Destination');
    if (row.circuit_state === 'closed') throw conflict('The circuit is closed: deliveries are being sent already');
    if (row.status !== 'active') throw conflict(`The destination is ${row.status}: resume it first`);
    const [updated] = await tx.$queryRaw<{ circuit_retry_at: Date }[]>`
      UPDATE destinations
         SET circuit_state = 'half_open',
             circuit_opened_at = now() - COALESCE(circuit_retry_at - circuit_opened_at, interval '30 seconds'),
             circuit_retry_at = now()
       WHERE id = ${id}::uuid
      RETURNING circuit_retry_at`;
    await recordAudit(
      actor,
      {
        action: 'destination.probe',
        targetType: 'destination',
        targetId: id,
        before: { circuitState: row.circuit_state, nextProbeAt: row.circuit_retry_at },
        after: { circuitState: 'half_open', nextProbeAt: updated!.circuit_retry_at },
        ip,
      },
      tx,
    );
    return updated!;
  });
  wakeWorkers();
  return { id, circuitState: 'half_open', nextProbeAt: after.circuit_retry_at };
}
