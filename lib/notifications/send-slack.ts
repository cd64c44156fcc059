/**
 * Slack channels: one POST to the incoming-webhook URL with Slack's JSON, `text` (the
 * notification fallback and what screen readers and mobile previews show) plus `blocks` (the
 * message as laid out in the channel). Names and messages are escaped as Slack's mrkdwn needs
 * (&, <, >), so a destination called `<!channel>` cannot ping everyone.
 */
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
import { postJson } from './post-json';
import type { SendResult } from './send-result';

const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Slack limits a header's text to 150 characters and a section's to 3000. */
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

type Block = Record<string, unknown>;

const mrkdwn = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: cut(text, 3000) } });

export function slackMessage(items: readonly NotificationItem[], context: MessageContext): { text: string; blocks: Block[] } {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: cut(messageTitle(items), 150), emoji: false } }];
  if (items.length === 1) {
    const item = items[0]!;
    blocks.push(mrkdwn(detailLines(item, context).map(escapeMrkdwn).join('\n')));
    blocks.push(mrkdwn(`<${itemUrl(item, context.baseUrl)}|Open in Hookyard>`));
  } else {
    blocks.push(mrkdwn('Several alerts changed at once, so they come in one message.'));
    for (const item of items.slice(0, DIGEST_LISTED)) {
      blocks.push(mrkdwn(`*<${itemUrl(item, context.baseUrl)}|${escapeMrkdwn(headline(item))}>*\n${escapeMrkdwn(item.alert?.message ?? '')}`));
    }
    const more = moreLine(items);
    blocks.push(mrkdwn(`${more ? `${escapeMrkdwn(more)} ` : ''}<${alertsUrl(context.baseUrl)}|All alerts in Hookyard>`));
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`Hookyard · channel ${context.channelName}`) }] });
  // `text` is mrkdwn too (Slack formats the fallback and the push notification from it); the header is plain_text, which Slack never parses.
  return { text: cut(escapeMrkdwn(plainText(items, context)), 3000), blocks };
}

export async function sendSlack(url: string, items: readonly NotificationItem[], context: MessageContext): Promise<SendResult> {
  return postJson(url, Buffer.from(JSON.stringify(slackMessage(items, context))), {});
}
