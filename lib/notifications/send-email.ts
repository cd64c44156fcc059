/**
 * Email channels: one message to the channel's recipients through HOOKYARD_SMTP_URL, from
 * HOOKYARD_EMAIL_FROM, with nodemailer (plain text and HTML, the HTML escaped: names and alert
 * messages come from configuration and from providers). One SMTP transport per URL, pooled, with
 * timeouts, so that a mail server that stops answering fails the send instead of hanging the
 * dispatcher. The SMTP host is the operator's own setting (the environment), not an admin's input,
 * so the destination URL rules do not apply to it.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { notificationSettings, type NotificationSettings } from '@/lib/config/settings';
import { CHANNEL_TIMEOUT_MS } from './post-json';
import {
  DIGEST_LISTED,
  alertsUrl,
  detailLines,
  headline,
  itemUrl,
  type MessageContext,
  messageTitle,
  moreLine,
  type NotificationItem,
  plainText,
} from './notification-message';
import { delivered, notDelivered, type SendResult } from './send-result';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    const url = new URL(smtpUrl);
    transport = nodemailer.createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
      secure: url.protocol === 'smtps:',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      pool: true,
      maxConnections: 2,
      connectionTimeout: CHANNEL_TIMEOUT_MS,
      greetingTimeout: CHANNEL_TIMEOUT_MS,
      socketTimeout: CHANNEL_TIMEOUT_MS,
    });
    transports.set(smtpUrl, transport);
  }
  return transport;
}

export function closeEmailTransports(): void {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}

export function emailMessage(items: readonly NotificationItem[], context: MessageContext): { subject: string; text: string; html: string } {
  const paragraph = (text: string) => `<p style="margin:0 0 12px">${escapeHtml(text)}</p>`;
  const link = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  let body: string;
  if (items.length === 1) {
    const item = items[0]!;
    body = `<h1 style="font-size:18px">${escapeHtml(headline(item))}</h1>${detailLines(item, context).map(paragraph).join('')}<p>${link(itemUrl(item, context.baseUrl), 'Open in Hookyard')}</p>`;
  } else {
    const listed = items
      .slice(0, DIGEST_LISTED)
      .map((item) => `<li style="margin-bottom:8px">${link(itemUrl(item, context.baseUrl), headline(item))}<br>${escapeHtml(item.alert?.message ?? '')}</li>`)
      .join('');
    const more = moreLine(items);
    body = `<h1 style="font-size:18px">${escapeHtml(messageTitle(items))}</h1>${paragraph('Several alerts changed at once, so they come in one message.')}<ul>${listed}</ul>${
      more ? paragraph(more) : ''
    }<p>${link(alertsUrl(context.baseUrl), 'All alerts in Hookyard')}</p>`;
  }
  const footer = `<p style="color:#64748b;font-size:12px">Hookyard · notification channel ${escapeHtml(context.channelName)}</p>`;
  return { subject: `[Hookyard] ${messageTitle(items)}`, text: plainText(items, context), html: `<!doctype html><html><body>${body}${footer}</body></html>` };
}

export async function sendEmail(
  to: readonly string[],
  items: readonly NotificationItem[],
  context: MessageContext,
  settings: NotificationSettings = notificationSettings(),
): Promise<SendResult> {
  if (!settings.smtpUrl || !settings.emailFrom)
    return notDelivered('not_configured', 'HOOKYARD_SMTP_URL and HOOKYARD_EMAIL_FROM must both be set to send email');
  if (to.length === 0) return notDelivered('other', 'the channel has no recipients');
  try {
    const message = emailMessage(items, context);
    await transportFor(settings.smtpUrl).sendMail({ from: settings.emailFrom, to: [...to], ...message });
    return delivered();
  } catch (error) {
    // nodemailer's messages name the server's answer ("Invalid login: 535 …"), never the password.
    const text = error instanceof Error ? error.message : String(error);
    return notDelivered(/timeout/i.test(text) ? 'timeout' : 'smtp', text);
  }
}
