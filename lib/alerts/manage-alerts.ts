/**
 * Acknowledge ("someone is on it") and resolve ("it is over"), SUPPORT and ADMIN only, each audited
 * in the same transaction as the change. The row is locked first, so two people clicking at once
 * get one change and one clear answer.
 *
 *  - acknowledge: open → acknowledged. Already acknowledged: returned unchanged (idempotent, not
 *    audited again). Resolved: 409.
 *  - resolve: open or acknowledged → resolved. Already resolved: 409.
 *
 * An acknowledged alert keeps counting new occurrences (lib/alerts/raise-alert.ts); once resolved, the
 * next occurrence opens a new alert.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { isUuid } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import type { Tx } from '@/lib/db/transaction';
import { conflict, notFound } from '@/lib/http/errors';
import { queueAlertNotificationsInTx } from './alert-notifications';
import { ALERT_SELECT, type AlertView, toAlertView } from './list-alerts';

function auditCopy(alert: AlertView) {
  return {
    status: alert.status,
    kind: alert.kind,
    destinationId: alert.destination?.id ?? null,
    acknowledgedAt: alert.acknowledgedAt,
    acknowledgedBy: alert.acknowledgedBy,
    resolvedAt: alert.resolvedAt,
    resolvedBy: alert.resolvedBy,
  };
}

async function lockAlert(tx: Tx, id: string): Promise<AlertView> {
  if (!isUuid(id)) throw notFound('Alert');
  await tx.$queryRaw`SELECT 1 FROM alerts WHERE id = ${id}::uuid FOR UPDATE`;
  const row = await tx.alert.findUnique({ where: { id }, select: ALERT_SELECT });
  if (!row) throw notFound('Alert');
  return toAlertView(row);
}

export async function acknowledgeAlert(id: string, actor: Principal, ip?: string | null): Promise<AlertView> {
  return db().$transaction(async (tx) => {
    const before = await lockAlert(tx, id);
    if (before.status === 'resolved') throw conflict('This alert is already resolved');
    if (before.status === 'acknowledged') return before;
    const after = toAlertView(
      await tx.alert.update({
        where: { id },
        data: { status: 'acknowledged', acknowledgedAt: new Date(), acknowledgedBy: actor.label },
        select: ALERT_SELECT,
      }),
    );
    await recordAudit(actor, { action: 'alert.acknowledge', targetType: 'alert', targetId: id, before: auditCopy(before), after: auditCopy(after), ip }, tx);
    return after;
  });
}

export async function resolveAlert(id: string, actor: Principal, ip?: string | null): Promise<AlertView> {
  return db().$transaction(async (tx) => {
    const before = await lockAlert(tx, id);
    if (before.status === 'resolved') throw conflict('This alert is already resolved');
    const after = toAlertView(
      await tx.alert.update({
        where: { id },
        data: { status: 'resolved', resolvedAt: new Date(), resolvedBy: actor.label },
        select: ALERT_SELECT,
      }),
    );
    await queueAlertNotificationsInTx(tx, [id], 'resolved');
    await recordAudit(actor, { action: 'alert.resolve', targetType: 'alert', targetId: id, before: auditCopy(before), after: auditCopy(after), ip }, tx);
    return after;
  });
}
