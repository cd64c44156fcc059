/**
 * One message to one channel, whatever its type: the dispatcher and "Send test message" both come
 * here, so a test goes through exactly the code a real alert does. Slack and email take several
 * notifications (a digest); a webhook takes exactly one. The channel's URL and signing
 * secrets are decrypted here, just before the send, and never leave this module.
 */
import { db } from '@/lib/db/prisma';
import { decryptSecret } from '@/lib/secrets/encryption';
import { loadChannelSigningSecrets } from '@/lib/secrets/signing-secrets';
import type { ChannelType } from './channels.schema';
import type { MessageContext, NotificationItem } from './notification-message';
import { sendEmail } from './send-email';
import { notDelivered, type SendResult } from './send-result';
import { sendSlack } from './send-slack';
import { sendWebhook } from './send-webhook';

export interface ChannelToSend {
  id: string;
  name: string;
  type: ChannelType;
  urlCiphertext: Uint8Array | null;
  to: string[];
}

export async function sendToChannel(channel: ChannelToSend, items: readonly NotificationItem[], baseUrl: string): Promise<SendResult> {
  const context: MessageContext = { baseUrl, channelName: channel.name };
  if (channel.type === 'email') return sendEmail(channel.to, items, context);
  if (!channel.urlCiphertext) return notDelivered('other', 'the channel has no URL');
  let url: string;
  try {
    url = decryptSecret(channel.id, channel.urlCiphertext);
  } catch (error) {
    return notDelivered('other', error instanceof Error ? error.message : 'the URL cannot be decrypted');
  }
  if (channel.type === 'slack') return sendSlack(url, items, context);
  // A webhook receiver understands one notification per POST (SPEC's shape); the dispatcher never folds them.
  if (items.length !== 1) throw new Error(`a webhook channel is sent one notification per message, not ${items.length}`);
  const secrets = await loadChannelSigningSecrets(channel.id, new Date(), db());
  return sendWebhook(
    url,
    secrets.map((secret) => secret.value),
    items[0]!,
    context,
  );
}
