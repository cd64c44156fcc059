/**
 * "Send test message" (`POST /api/v1/notification-channels/{id}/test`): one message sent now, by
 * the same sender as every alert (send-to-channel.ts), and the answer says whether it was
 * delivered and, if not, the error kind and message. It is kept in the channel's history as an
 * `alert_notifications` row with event `test` and no alert, and audited. A test that gets
 * through proves the channel works: its failure run is cleared and its notification_failing
 * alert resolves. A failed test is reported, not counted as a failure of the channel: the
 * admin is looking at it already.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { isUuid, newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { sql } from '@/lib/db/sql';
import { notFound } from '@/lib/http/errors';
import { recordChannelSuccess } from './dispatch-notifications';
import { dashboardBaseUrl } from './notification-message';
import { describeFailure, type NotificationErrorKind } from './send-result';
import { sendToChannel } from './send-to-channel';

export interface TestMessageResult {
  delivered: boolean;
  /** The receiver's HTTP status, for Slack and webhook channels. */
  status: number | null;
  errorKind: NotificationErrorKind | null;
  error: string | null;
  durationMs: number;
  /** The history row (and the webhook-id of a webhook channel's test). */
  notificationId: string;
}

export async function sendTestMessage(channelId: string, actor: Principal, ip?: string | null, baseUrl = dashboardBaseUrl()): Promise<TestMessageResult> {
  if (!isUuid(channelId)) throw notFound('Notification channel');
  const channel = await db().notificationChannel.findUnique({
    where: { id: channelId },
    select: { id: true, name: true, type: true, urlCiphertext: true, to: true },
  });
  if (!channel) throw notFound('Notification channel');
  const notificationId = newId();
  const started = performance.now();
  const result = await sendToChannel(channel, [{ notificationId, event: 'test', alert: null }], baseUrl);
  const durationMs = Math.round(performance.now() - started);
  await db().alertNotification.create({
    data: {
      id: notificationId,
      channelId,
      event: 'test',
      status: result.ok ? 'sent' : 'failed',
      attempts: 1,
      lastError: describeFailure(result),
      sentAt: result.ok ? new Date() : null,
      digestSize: 1,
    },
  });
  if (result.ok) await sql().begin((tx) => recordChannelSuccess(tx, channelId));
  const answer: TestMessageResult = {
    delivered: result.ok,
    status: result.status,
    errorKind: result.ok ? null : result.errorKind,
    error: result.ok ? null : result.error,
    durationMs,
    notificationId,
  };
  await recordAudit(actor, {
    action: 'notification_channel.test',
    targetType: 'notification_channel',
    targetId: channelId,
    after: { delivered: answer.delivered, status: answer.status, errorKind: answer.errorKind },
    ip,
  });
  return answer;
}
