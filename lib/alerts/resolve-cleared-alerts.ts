/**
 * Alerts that resolve themselves when their condition clears, resolved by `system` (shown so on
 * the Alerts page, with the reason from `details.resolution`):
 *  - `destination_circuit_open`, when the destination's circuit closes (a success, lib/worker/destination-health.ts);
 *  - `delivery_exhausted`, when nothing of the destination is failed and waiting for a replay any
 *    more (lib/deliveries/awaiting-replay.ts): the replays of its failures got through. One alert
 *    counts every failure of the destination, so it clears when the last of them does.
 *
 * Each is one UPDATE on `alerts`: it finds nothing, and costs an index probe, when no alert of
 * the kind is open. An acknowledged alert resolves
 * the same way (someone was on it; it is over now).
 */
import type postgres from 'postgres';
import type { Sql } from '@/lib/db/sql';
import { isAwaitingReplay } from '@/lib/deliveries/awaiting-replay';
import { queueAlertNotifications } from './alert-notifications';

export const SYSTEM_RESOLVER = 'system';

export const RESOLUTIONS = {
  destination_circuit_open: 'the circuit closed: a delivery got through',
  delivery_exhausted: 'every failed delivery was replayed successfully',
} as const;

function resolvedDetails(sql: Sql | postgres.TransactionSql, resolution: string): postgres.Fragment {
  return sql`jsonb_set(COALESCE(details, '{}'::jsonb), '{resolution}', to_jsonb(${resolution}::text))`;
}

/**
 * Resolves, by `system`, the open or acknowledged alerts that `condition` (on `alerts a`) picks,
 * and queues their "resolved" notifications in the same transaction: every automatic resolution
 * goes through here. Returns the ids resolved. Given the pool rather than a transaction, it opens
 * one: otherwise the resolution commits before its notifications are queued, and a dispatcher
 * that runs in between (or a crash) finds a resolved alert that nobody will be told about.
 */
export async function resolveAlertsBySystem(sql: Sql | postgres.TransactionSql, condition: postgres.Fragment, resolution: string): Promise<string[]> {
  // Only a transaction has `savepoint`; the pool has `begin`.
  if (!('savepoint' in sql)) return (await sql.begin((tx) => resolveAlertsBySystem(tx, condition, resolution))) as string[];
  const rows = await sql<{ id: string }[]>`
    UPDATE alerts a SET status = 'resolved', resolved_at = now(), resolved_by = ${SYSTEM_RESOLVER},
      details = ${resolvedDetails(sql, resolution)}
    WHERE a.status IN ('open', 'acknowledged') AND ${condition}
    RETURNING a.id`;
  const ids = rows.map((row) => row.id);
  await queueAlertNotifications(sql, ids, 'resolved');
  return ids;
}

/** Resolves the destination's open `destination_circuit_open` alert; call it where the circuit closes, in that transaction. */
export async function resolveCircuitOpenAlert(sql: Sql | postgres.TransactionSql, destinationId: string): Promise<number> {
  const ids = await resolveAlertsBySystem(
    sql,
    sql`a.destination_id = ${destinationId} AND a.kind = 'destination_circuit_open'`,
    RESOLUTIONS.destination_circuit_open,
  );
  return ids.length;
}

/**
 * Resolves the `delivery_exhausted` alerts (of these destinations, or of all) that have nothing
 * left waiting for a replay. The worker sweeps all of them every lease-recovery interval (2 s)
 * rather than after each recorded batch: per batch it was one more round trip on the delivery
 * path (delivery bench −13%), for alerts that clear a few times a day.
 */
export async function resolveClearedExhaustedAlerts(sql: Sql, destinationIds: string[] | 'all'): Promise<number> {
  if (destinationIds !== 'all' && destinationIds.length === 0) return 0;
  const scope = destinationIds === 'all' ? sql`TRUE` : sql`a.destination_id = ANY(${destinationIds}::uuid[])`;
  const ids = await resolveAlertsBySystem(
    sql,
    sql`${scope} AND a.kind = 'delivery_exhausted'
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.destination_id = a.destination_id AND ${isAwaitingReplay(sql)})`,
    RESOLUTIONS.delivery_exhausted,
  );
  return ids.length;
}
