/**
 * Input shapes of notification channels (SPEC "Alerts and notifications"), shared by the JSON API
 * and the settings page: `{"name", "type": "slack"|"email"|"webhook", "url"?, "to"?, "kinds"?}`.
 * Checked per type: Slack and webhook channels need a `url` (its network checks, DNS and private
 * ranges, run in manage-channels.ts with the destination URL rules); email channels need `to`, a
 * non-empty list of addresses. `kinds` absent (or null) means every alert kind.
 */
import { z } from 'zod';
import { ALERT_KINDS } from '@/lib/alerts/alert-kinds';
import { CHANNEL_TYPES } from './channel-types';

export { CHANNEL_TYPE_LABELS, CHANNEL_TYPES, type ChannelType } from './channel-types';

export const MAX_RECIPIENTS = 50;

const nameSchema = z.string().trim().min(1, 'Give the channel a name').max(200);
const urlSchema = z.string().trim().min(1, 'Enter the URL').max(2048);
/** An address with a dotted domain (a notification leaves the machine, unlike the first admin's admin@localhost). */
const addressSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .regex(/^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/, 'Not a valid email address');
const toSchema = z
  .array(addressSchema)
  .min(1, 'Give at least one address')
  .max(MAX_RECIPIENTS, `At most ${MAX_RECIPIENTS} addresses`)
  .transform((list) => [...new Set(list)]);
const kindsSchema = z
  .array(z.enum(ALERT_KINDS))
  .min(1, 'Pick at least one kind, or leave kinds out for all of them')
  .transform((list) => [...new Set(list)]);

export const createChannelSchema = z
  .strictObject({
    name: nameSchema,
    type: z.enum(CHANNEL_TYPES),
    url: urlSchema.optional(),
    to: toSchema.optional(),
    kinds: kindsSchema.nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.type === 'email') {
      if (!input.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'An email channel needs `to`, a list of addresses' });
      if (input.url !== undefined) ctx.addIssue({ code: 'custom', path: ['url'], message: 'An email channel has no URL; give `to` instead' });
    } else {
      if (!input.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `A ${input.type} channel needs a url` });
      if (input.to !== undefined)
        ctx.addIssue({ code: 'custom', path: ['to'], message: `A ${input.type} channel has no recipients; \`to\` is for email channels` });
    }
  });
export type CreateChannelInput = z.infer<typeof createChannelSchema>;

/** A change: any of the fields; the type stays (delete and create a channel of another type). `kinds: null` subscribes to every kind. */
export const updateChannelSchema = z.strictObject({
  name: nameSchema.optional(),
  url: urlSchema.optional(),
  to: toSchema.optional(),
  kinds: kindsSchema.nullable().optional(),
  enabled: z.boolean().optional(),
});
export type UpdateChannelInput = z.infer<typeof updateChannelSchema>;

export const channelIdSchema = z.object({ id: z.uuid('Not a channel id') });
