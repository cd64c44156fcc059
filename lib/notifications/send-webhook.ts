/**
 * Webhook channels: a JSON POST signed per Standard Webhooks with the channel's own `whsec_`
 * secret(s), by the same signing code as the worker's forwards (lib/providers/standard-webhooks-signature.ts),
 * so any Standard Webhooks library verifies it. One notification is SPEC's shape,
 * `{"type": "alert.raised"|"alert.resolved", "alert": {…}}`; a digest (several due together,
 * docs/notifications.md) is `{"type": "alert.digest", "notifications": [<that shape>, …]}`, with
 * every notification in full (a program wants them all, not the first ten). A test message is
 * `{"type": "notification.test", …}`. `webhook-id` is the notification's id (the first one's for
 * a digest), the same on every retry, so a receiver can drop duplicates.
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

export function webhookBody(items: readonly NotificationItem[], context: MessageContext, now: Date): Record<string, unknown> {
  const first = items[0]!;
  if (first.event === 'test' || !first.alert) {
    return {
      type: 'notification.test',
      id: first.notificationId,
      channel: { name: context.channelName },
      message: 'A test message from Hookyard. It is safe to ignore.',
      sentAt: now.toISOString(),
    };
  }
  if (items.length === 1) return notificationPayload(first, context.baseUrl);
  return {
    type: 'alert.digest',
    id: first.notificationId,
    notifications: items.filter((item) => item.alert).map((item) => notificationPayload(item, context.baseUrl)),
  };
}

export async function sendWebhook(url: string, secrets: readonly string[], items: readonly NotificationItem[], context: MessageContext): Promise<SendResult> {
  if (secrets.length === 0) return notDelivered('no_secret', 'the channel has no active signing secret; delete and create it again to get a new one');
  const now = new Date();
  const body = Buffer.from(JSON.stringify(webhookBody(items, context, now)));
  const headers = standardWebhooksHeaders({ id: items[0]!.notificationId, timestamp: Math.floor(now.getTime() / 1000), body, secrets });
  return postJson(url, body, headers);
}
