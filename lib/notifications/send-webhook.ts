/**
 * Webhook channels: a JSON POST signed per Standard Webhooks with the channel's own `whsec_`
 * secret(s), by the same signing code as the worker's forwards (lib/providers/standard-webhooks-signature.ts),
 * so any Standard Webhooks library verifies it. Every POST carries ONE notification, in SPEC's
 * shape and no other: `{"type": "alert.raised"|"alert.resolved", "alert": {…}}` (plus its `id`),
 * or `{"type": "notification.test", …}` for a test message. A program is not a person: it wants
 * every notification in the shape it was written for, so webhook channels are never folded into
 * digests; the dispatcher throttles them instead (docs/notifications.md). `webhook-id` is the
 * notification's id, the same on every retry, so a receiver can drop duplicates.
 */
import { standardWebhooksHeaders } from '@/lib/providers/standard-webhooks-signature';
import { alertUrl, type AlertFacts, type MessageContext, type NotificationItem } from './notification-message';
import { postJson } from './post-json';
import { notDelivered, type SendResult } from './send-result';

export interface WebhookAlert {
  id: string;
  kind: string;
  status: string;
  message: string;
  count: number;
  target: AlertFacts['target'];
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  /** The alert in the dashboard. */
  url: string;
}

export type WebhookNotification = { type: 'alert.raised' | 'alert.resolved'; id: string; alert: WebhookAlert };

export type WebhookTest = { type: 'notification.test'; id: string; channel: { name: string }; message: string; sentAt: string };

function alertPayload(alert: AlertFacts, baseUrl: string): WebhookAlert {
  return {
    id: alert.id,
    kind: alert.kind,
    status: alert.status,
    message: alert.message,
    count: alert.count,
    target: alert.target,
    createdAt: alert.createdAt.toISOString(),
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    resolvedBy: alert.resolvedBy,
    resolution: alert.resolution,
    url: alertUrl(baseUrl, alert.id),
  };
}

function notificationPayload(item: NotificationItem, baseUrl: string): WebhookNotification {
  return { type: item.event === 'resolved' ? 'alert.resolved' : 'alert.raised', id: item.notificationId, alert: alertPayload(item.alert!, baseUrl) };
}

export function webhookBody(item: NotificationItem, context: MessageContext, now: Date): WebhookNotification | WebhookTest {
  if (item.event === 'test' || !item.alert) {
    return {
      type: 'notification.test',
      id: item.notificationId,
      channel: { name: context.channelName },
      message: 'A test message from Hookyard. It is safe to ignore.',
      sentAt: now.toISOString(),
    };
  }
  return notificationPayload(item, context.baseUrl);
}

export async function sendWebhook(url: string, secrets: readonly string[], item: NotificationItem, context: MessageContext): Promise<SendResult> {
  if (secrets.length === 0) return notDelivered('no_secret', 'the channel has no active signing secret; delete and create it again to get a new one');
  const now = new Date();
  const body = Buffer.from(JSON.stringify(webhookBody(item, context, now)));
  const headers = standardWebhooksHeaders({ id: item.notificationId, timestamp: Math.floor(now.getTime() / 1000), body, secrets });
  return postJson(url, body, headers);
}
