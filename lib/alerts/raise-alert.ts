/**
 * Alert records. One open alert per kind and target (a destination, a source or a notification
 * channel), whatever the number of workers raising it: the insert meets the partial unique index
 * alerts_one_open_per_target and, when one is open (or acknowledged), counts the occurrence on it
 * (details.count, the last message) instead of adding another. Only a new alert is notified:
 * its notifications are queued in the same statement's transaction (lib/alerts/alert-notifications.ts).
 */
import type postgres from 'postgres';
import type { Sql } from '@/lib/db/sql';
import { newId } from '@/lib/db/ids';
import type { AlertKind } from './alerts.schema';
import { queueAlertNotifications } from './alert-notifications';

/** What an alert is about: exactly one of these. */
export type AlertTarget = { destinationId: string } | { sourceId: string } | { channelId: string };

export type RaiseAlert = AlertTarget & {
  kind: AlertKind;
  message: string;
  deliveryId?: string | null;
  /** Occurrences this call stands for (default 1). */
  count?: number;
  /** Merged into the alert's details (thresholds, observed figures). */
  details?: Record<string, unknown>;
};

export interface RaisedAlert {
  id: string;
  /** True when this call opened the alert; false when it counted an occurrence on an open one. */
  raised: boolean;
}

export async function raiseAlert(sql: Sql | postgres.TransactionSql, alert: RaiseAlert): Promise<RaisedAlert> {
  // The alert and its notifications commit together, or a crash between them would leave an open
  // alert nobody is ever told about (its repeats only count). Only a transaction has `savepoint`.
  if (!('savepoint' in sql)) return (await sql.begin((tx) => raiseAlert(tx, alert))) as RaisedAlert;
  const count = alert.count ?? 1;
  const destinationId = 'destinationId' in alert ? alert.destinationId : null;
  const sourceId = 'sourceId' in alert ? alert.sourceId : null;
  const channelId = 'channelId' in alert ? alert.channelId : null;
  const details = { ...alert.details, count };
  const [row] = await sql<{ id: string; raised: boolean }[]>`
    INSERT INTO alerts (id, kind, status, destination_id, source_id, channel_id, delivery_id, message, details, created_at)
    VALUES (${newId()}, ${alert.kind}::"AlertKind", 'open', ${destinationId}, ${sourceId}, ${channelId}, ${alert.deliveryId ?? null},
            ${alert.message}, ${sql.json(details as postgres.JSONValue)}, now())
    ON CONFLICT (kind, (COALESCE(destination_id, source_id, channel_id))) WHERE status <> 'resolved'
    DO UPDATE SET message = EXCLUDED.message, delivery_id = COALESCE(EXCLUDED.delivery_id, alerts.delivery_id),
      details = COALESCE(alerts.details, '{}'::jsonb) || (EXCLUDED.details - 'count')
        || jsonb_build_object('count', COALESCE((alerts.details->>'count')::int, 1) + ${count}::int)
    RETURNING id, (xmax = 0) AS raised`;
  if (row!.raised) await queueAlertNotifications(sql, [row!.id], 'raised');
  return row!;
}
