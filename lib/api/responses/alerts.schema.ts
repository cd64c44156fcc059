/**
 * Answers of the alerts and notification channels operations (lib/alerts, lib/notifications).
 */
import { z } from 'zod';
import { ALERT_KINDS, ALERT_STATUSES } from '@/lib/alerts/alert-kinds';
import { CHANNEL_TYPES } from '@/lib/notifications/channel-types';
import { timestamp } from '../responses.schema';

export const alertSchema = z
  .object({
    id: z.string(),
    kind: z.enum(ALERT_KINDS),
    status: z.enum(ALERT_STATUSES),
    destination: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .meta({ description: 'What the alert is about: one of destination, source and channel is set.' }),
    source: z.object({ id: z.string(), name: z.string(), slug: z.string() }).nullable(),
    channel: z.object({ id: z.string(), name: z.string() }).nullable(),
    deliveryId: z.string().nullable(),
    message: z.string(),
    count: z.number().int().meta({ description: 'How many times it happened while open.' }),
    createdAt: timestamp,
    acknowledgedAt: timestamp.nullable(),
    acknowledgedBy: z.string().nullable(),
    resolvedAt: timestamp.nullable(),
    resolvedBy: z.string().nullable(),
    resolution: z.string().nullable().meta({ description: 'Why the system resolved it, when it resolved itself (resolvedBy `system`).' }),
  })
  .meta({ id: 'Alert' });

export const alertNotificationSchema = z
  .object({
    id: z.string(),
    channel: z.object({ id: z.string(), name: z.string(), type: z.enum(CHANNEL_TYPES) }),
    event: z.enum(['raised', 'resolved', 'test']),
    status: z.enum(['pending', 'sent', 'failed', 'suppressed']).meta({ description: '`suppressed`: never sent, the channel was disabled.' }),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    nextAttemptAt: timestamp.nullable().meta({ description: 'While pending: when the next try is due.' }),
    sentAt: timestamp.nullable(),
    digestSize: z.number().int().nullable().meta({ description: 'How many notifications the message that carried it held: 1 alone, more in a digest.' }),
    createdAt: timestamp,
  })
  .meta({ id: 'AlertNotification' });

export const channelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(CHANNEL_TYPES),
    urlHint: z.string().nullable().meta({ description: "Slack and webhook channels: the URL's scheme and host and its last characters, never the URL." }),
    to: z.array(z.string()).meta({ description: 'Email channels: the recipients.' }),
    kinds: z.array(z.enum(ALERT_KINDS)).nullable().meta({ description: 'The alert kinds sent to this channel; null: every kind.' }),
    enabled: z.boolean(),
    health: z.object({
      state: z
        .enum(['ok', 'failing', 'untested'])
        .meta({ description: '`ok`: the last message went out; `failing`: the last one failed; `untested`: nothing sent yet.' }),
      consecutiveFailures: z.number().int(),
      failingSince: timestamp.nullable(),
      lastError: z.string().nullable(),
      lastSentAt: timestamp.nullable(),
    }),
    signingSecretHint: z.string().nullable().meta({ description: 'Webhook channels: the hint of the signing secret.' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'NotificationChannel' });

export const createdChannelSchema = channelSchema
  .extend({ signingSecret: z.string().optional().meta({ description: "A webhook channel's Standard Webhooks signing secret; in this answer only." }) })
  .meta({ id: 'CreatedNotificationChannel' });

export const deletedChannelSchema = z.object({ id: z.string(), deleted: z.literal(true) }).meta({ id: 'DeletedNotificationChannel' });

export const channelTestResultSchema = z
  .object({
    delivered: z.boolean(),
    status: z.number().int().nullable().meta({ description: "The receiver's HTTP status, for Slack and webhook channels." }),
    errorKind: z.string().nullable().meta({ description: 'Why it failed: a send error kind, `smtp`, `not_configured` or `no_secret`.' }),
    error: z.string().nullable(),
    durationMs: z.number(),
    notificationId: z.string().meta({ description: "The history row (and a webhook channel's webhook-id)." }),
  })
  .meta({ id: 'ChannelTestResult' });
