/**
 * What a notification says, independent of where it goes: what happened (the alert's kind and
 * message), to what (the destination, source or channel, by name), since when, and the link to
 * the alert in the dashboard. The senders (send-slack.ts, send-email.ts, send-webhook.ts) render
 * these facts in their own format; a digest (several notifications of a Slack or email channel
 * that were due together, dispatch-notifications.ts; webhooks get one POST per notification)
 * lists the first DIGEST_LISTED and counts the rest.
 */
import { ALERT_KIND_LABELS, type AlertKind } from '@/lib/alerts/alerts.schema';
import { config } from '@/lib/config/env';

/** How many notifications a digest lists one by one; the rest are counted ("and 27 more"). */
export const DIGEST_LISTED = 10;

export type NotificationEventName = 'raised' | 'resolved' | 'test';

export interface AlertTargetFacts {
  type: 'destination' | 'source' | 'channel';
  id: string;
  name: string;
}

/** The alert as a message reports it. */
export interface AlertFacts {
  id: string;
  kind: AlertKind;
  status: 'open' | 'acknowledged' | 'resolved';
  message: string;
  /** Occurrences while open (repeats are counted on the alert, not sent). */
  count: number;
  target: AlertTargetFacts | null;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  /** Why the system resolved it, when it did. */
  resolution: string | null;
}

/** One notification to render: an alert raised or resolved, or a channel's test. */
export interface NotificationItem {
  notificationId: string;
  event: NotificationEventName;
  alert: AlertFacts | null;
}

export interface MessageContext {
  /** The dashboard's base URL (HOOKYARD_PUBLIC_URL, else this machine's). */
  baseUrl: string;
  channelName: string;
}

/** HOOKYARD_PUBLIC_URL, or the local dashboard when it is unset (links then work on this machine only). */
export function dashboardBaseUrl(): string {
  const { publicUrl, port } = config();
  return publicUrl ?? `http://localhost:${port}`;
}

export function alertUrl(baseUrl: string, alertId: string): string {
  return `${baseUrl}/alerts/${alertId}`;
}

export const alertsUrl = (baseUrl: string) => `${baseUrl}/alerts?status=all`;

const TARGET_WORDS: Record<AlertTargetFacts['type'], string> = { destination: 'destination', source: 'source', channel: 'notification channel' };

/** `destination "Orders API"`. */
export function describeTarget(target: AlertTargetFacts | null): string {
  return target ? `${TARGET_WORDS[target.type]} "${target.name}"` : 'Hookyard';
}

/** `2026-12-02 06:30:12 UTC`: a message is read in many time zones, so it says which. */
export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** One line: `Raised: Circuit open on destination "Orders API"`. */
export function headline(item: NotificationItem): string {
  if (item.event === 'test' || !item.alert) return 'Test message from Hookyard';
  const verb = item.event === 'raised' ? 'Raised' : 'Resolved';
  return `${verb}: ${ALERT_KIND_LABELS[item.alert.kind]} on ${describeTarget(item.alert.target)}`;
}

/** The lines under the headline: the alert's message, since when, how often, how it ended. */
export function detailLines(item: NotificationItem, context: MessageContext): string[] {
  const alert = item.alert;
  if (item.event === 'test' || !alert) {
    return [`The notification channel "${context.channelName}" works: this is how Hookyard's alerts will reach you. It is safe to ignore.`];
  }
  const lines = [alert.message];
  if (item.event === 'raised') {
    lines.push(`Since ${formatTime(alert.createdAt)}${alert.count > 1 ? ` (${alert.count} occurrences so far)` : ''}.`);
    if (alert.status === 'resolved' && alert.resolvedAt) lines.push(`It has resolved since, at ${formatTime(alert.resolvedAt)}.`);
  } else {
    const end = alert.resolvedAt ?? new Date();
    lines.push(
      `Open from ${formatTime(alert.createdAt)} to ${formatTime(end)} (${formatDuration(end.getTime() - alert.createdAt.getTime())}, ${alert.count} occurrence${alert.count === 1 ? '' : 's'}).`,
    );
    if (alert.resolvedBy) lines.push(`Resolved by ${alert.resolvedBy}${alert.resolution ? `: ${alert.resolution}` : ''}.`);
  }
  return lines;
}

export function itemUrl(item: NotificationItem, baseUrl: string): string {
  return item.alert ? alertUrl(baseUrl, item.alert.id) : `${baseUrl}/settings/notifications`;
}

/** The title of a message: the headline of a single notification, or a digest's count. */
export function messageTitle(items: readonly NotificationItem[]): string {
  if (items.length === 1) return headline(items[0]!);
  const raised = items.filter((item) => item.event === 'raised').length;
  const resolved = items.filter((item) => item.event === 'resolved').length;
  const parts = [raised ? `${raised} raised` : null, resolved ? `${resolved} resolved` : null].filter(Boolean);
  return `Hookyard: ${items.length} alert notifications (${parts.join(', ')})`;
}

/** The digest's tail line, when it lists fewer than it carries. */
export function moreLine(items: readonly NotificationItem[]): string | null {
  const more = items.length - DIGEST_LISTED;
  return more > 0 ? `…and ${more} more.` : null;
}

/** The whole message as plain text (email bodies, Slack's `text` fallback). */
export function plainText(items: readonly NotificationItem[], context: MessageContext): string {
  if (items.length === 1) {
    const item = items[0]!;
    return [headline(item), '', ...detailLines(item, context), '', `Open in Hookyard: ${itemUrl(item, context.baseUrl)}`].join('\n');
  }
  const listed = items.slice(0, DIGEST_LISTED).map((item) => `- ${headline(item)}: ${item.alert?.message ?? ''} ${itemUrl(item, context.baseUrl)}`);
  const more = moreLine(items);
  return [
    messageTitle(items),
    '',
    'Several alerts changed at once, so they come in one message.',
    '',
    ...listed,
    ...(more ? [more] : []),
    '',
    `All alerts: ${alertsUrl(context.baseUrl)}`,
  ].join('\n');
}
