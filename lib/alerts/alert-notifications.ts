/**
 * Who hears about an alert: one notification per subscribed, enabled channel, queued in the
 * caller's transaction when the alert is raised and again when it is resolved. The SQL function
 * hookyard_enqueue_alert_notifications (migration 20261202060000) is the one place that decides,
 * so that postgres.js callers (raiseAlert, the system's resolutions) and Prisma ones (a person's
 * resolve) queue the same rows. The worker sends them (lib/notifications).
 */
import type postgres from 'postgres';
import type { Sql } from '@/lib/db/sql';
import type { Tx } from '@/lib/db/transaction';

export type AlertNotificationEvent = 'raised' | 'resolved';

export async function queueAlertNotifications(sql: Sql | postgres.TransactionSql, alertIds: string[], event: AlertNotificationEvent): Promise<void> {
  if (alertIds.length === 0) return;
  await sql`SELECT hookyard_enqueue_alert_notifications(${alertIds}::uuid[], ${event}::"NotificationEvent")`;
}

/** The same, inside a Prisma transaction. */
export async function queueAlertNotificationsInTx(tx: Tx, alertIds: string[], event: AlertNotificationEvent): Promise<void> {
  if (alertIds.length === 0) return;
  await tx.$queryRaw`SELECT hookyard_enqueue_alert_notifications(${alertIds}::uuid[], ${event}::"NotificationEvent")`;
}
