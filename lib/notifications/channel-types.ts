/**
 * The notification channel types and their labels, without zod, for client components: zod must
 * stay out of the browser bundle (its `new Function` probe is a CSP violation; lib/alerts/alert-kinds.ts).
 */
export const CHANNEL_TYPES = ['slack', 'email', 'webhook'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const CHANNEL_TYPE_LABELS: Record<ChannelType, string> = { slack: 'Slack', email: 'Email', webhook: 'Webhook' };
