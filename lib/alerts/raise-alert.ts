/**
 * Alert records. One open alert per destination and kind: a new occurrence while one is open
 * updates it (count, last message) instead of adding another, so a failing destination raises
 * one alert, not thousands.
 */
import type postgres from 'postgres';
import type { Sql } from '@/lib/db/sql';
import { newId } from '@/lib/db/ids';
import type { AlertKind } from './alerts.schema';

export async function raiseAlert(
  sql: Sql | postgres.TransactionSql,
  alert: { kind: AlertKind; destinationId: string; deliveryId?: string | null; message: string; count?: number },
): Promise<void> {
  const count = alert.count ?? 1;
  const updated = await sql`
    UPDATE alerts SET message = ${alert.message}, delivery_id = COALESCE(${alert.deliveryId ?? null}::uuid, delivery_id),
      details = jsonb_set(COALESCE(details, '{}'::jsonb), '{count}', to_jsonb(COALESCE((details->>'count')::int, 1) + ${count}::int))
    WHERE destination_id = ${alert.destinationId} AND kind = ${alert.kind}::"AlertKind" AND status IN ('open', 'acknowledged')`;
  if (updated.count > 0) return;
  await sql`
    INSERT INTO alerts (id, kind, status, destination_id, delivery_id, message, details, created_at)
    VALUES (${newId()}, ${alert.kind}::"AlertKind", 'open', ${alert.destinationId}, ${alert.deliveryId ?? null},
            ${alert.message}, ${sql.json({ count })}, now())`;
}
