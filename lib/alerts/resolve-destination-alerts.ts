/**
 * Alerts a person's change to a destination ends, resolved by `system` in that change's Prisma
 * transaction (with their 'resolved' notifications), like resolveAlertsBySystem does for the
 * worker's postgres.js transactions. Re-enabling a disabled destination (POST …/resume) ends its
 * `destination_disabled` alert, and, since resuming also resets the circuit, its
 * `destination_circuit_open` alert.
 */
import type { Tx } from '@/lib/db/transaction';
import type { AlertKind } from './alerts.schema';
import { queueAlertNotificationsInTx } from './alert-notifications';
import { SYSTEM_RESOLVER } from './resolve-cleared-alerts';

export const RESUME_RESOLUTIONS = {
  destination_disabled: 'the destination was re-enabled (resumed)',
  destination_circuit_open: 'the circuit was reset when the destination was re-enabled',
} as const satisfies Partial<Record<AlertKind, string>>;

/** Resolves the destination's open (or acknowledged) alerts of `kind`; returns how many. */
export async function resolveDestinationAlertsInTx(tx: Tx, destinationId: string, kind: AlertKind, resolution: string): Promise<number> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE alerts SET status = 'resolved', resolved_at = now(), resolved_by = ${SYSTEM_RESOLVER},
      details = jsonb_set(COALESCE(details, '{}'::jsonb), '{resolution}', to_jsonb(${resolution}::text))
    WHERE destination_id = ${destinationId}::uuid AND kind = ${kind}::"AlertKind" AND status IN ('open', 'acknowledged')
    RETURNING id::text`;
  await queueAlertNotificationsInTx(
    tx,
    rows.map((row) => row.id),
    'resolved',
  );
  return rows.length;
}

/** What re-enabling a disabled destination resolves. */
export async function resolveAlertsOnReenable(tx: Tx, destinationId: string): Promise<number> {
  let resolved = 0;
  for (const kind of ['destination_disabled', 'destination_circuit_open'] as const) {
    resolved += await resolveDestinationAlertsInTx(tx, destinationId, kind, RESUME_RESOLUTIONS[kind]);
  }
  return resolved;
}
