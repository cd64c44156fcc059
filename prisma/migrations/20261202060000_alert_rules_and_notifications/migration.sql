-- Issue 13: alert kinds from SPEC, alerts about sources and notification channels, per-target
-- alert settings, notification channels and their outbox (lib/alerts, lib/notifications).

-- SPEC names the circuit alert destination_circuit_open.
ALTER TYPE "AlertKind" RENAME VALUE 'circuit_open' TO 'destination_circuit_open';
ALTER TYPE "AlertKind" ADD VALUE 'backlog_age';
ALTER TYPE "AlertKind" ADD VALUE 'source_silent';
ALTER TYPE "AlertKind" ADD VALUE 'rejection_spike';
ALTER TYPE "AlertKind" ADD VALUE 'notification_failing';

CREATE TYPE "NotificationChannelType" AS ENUM ('slack', 'email', 'webhook');
CREATE TYPE "NotificationEvent" AS ENUM ('raised', 'resolved', 'test');
CREATE TYPE "NotificationStatus" AS ENUM ('pending', 'sent', 'failed', 'suppressed');

-- Thresholds that override the defaults (lib/alerts/alert-settings.ts); a source's expectedEvery lives here.
ALTER TABLE "sources" ADD COLUMN "alert_settings" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "destinations" ADD COLUMN "alert_settings" JSONB NOT NULL DEFAULT '{}';

CREATE TABLE "notification_channels" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" "NotificationChannelType" NOT NULL,
    -- Slack and webhook channels: the URL, encrypted like a secret (a Slack URL is a credential), with a masked hint.
    "url_ciphertext" BYTEA,
    "url_hint" TEXT,
    -- Email channels: the recipients.
    "to" TEXT[] DEFAULT ARRAY[]::TEXT[],
    -- The alert kinds this channel hears about; NULL means every kind.
    "kinds" "AlertKind"[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "failing_since" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_id" UUID,
    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id")
);

-- A webhook channel signs with its own whsec_ secret, kept with the other secrets.
ALTER TABLE "secrets" ADD COLUMN "channel_id" UUID;
CREATE INDEX "secrets_channel_id_idx" ON "secrets"("channel_id");
ALTER TABLE "secrets" ADD CONSTRAINT "secrets_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Alerts about a source (source_silent, rejection_spike) or a channel (notification_failing).
ALTER TABLE "alerts" ADD COLUMN "source_id" UUID;
ALTER TABLE "alerts" ADD COLUMN "channel_id" UUID;
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "alerts_source_id_kind_status_idx" ON "alerts"("source_id", "kind", "status");
CREATE INDEX "alerts_channel_id_idx" ON "alerts"("channel_id");

-- One open (or acknowledged) alert per kind and target, whatever the number of workers raising
-- it: raiseAlert inserts with ON CONFLICT against this index. Older duplicates are resolved first.
UPDATE "alerts" a SET "status" = 'resolved', "resolved_at" = now(), "resolved_by" = 'system'
WHERE a."status" <> 'resolved' AND EXISTS (
    SELECT 1 FROM "alerts" b
    WHERE b."status" <> 'resolved' AND b."kind" = a."kind" AND b."id" > a."id"
      AND COALESCE(b."destination_id", b."source_id", b."channel_id") IS NOT DISTINCT FROM COALESCE(a."destination_id", a."source_id", a."channel_id"));
CREATE UNIQUE INDEX "alerts_one_open_per_target" ON "alerts"("kind", (COALESCE("destination_id", "source_id", "channel_id"))) WHERE "status" <> 'resolved';

-- The outbox and history of notifications: one row per (alert, channel, raised|resolved), sent by
-- the worker (lib/notifications/dispatch-notifications.ts) with retries, and shown on the alert.
CREATE TABLE "alert_notifications" (
    "id" UUID NOT NULL,
    "alert_id" UUID,
    "channel_id" UUID NOT NULL,
    "event" "NotificationEvent" NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_notifications_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "alert_notifications_alert_id_idx" ON "alert_notifications"("alert_id");
CREATE INDEX "alert_notifications_channel_id_created_at_idx" ON "alert_notifications"("channel_id", "created_at" DESC);
CREATE INDEX "alert_notifications_due_idx" ON "alert_notifications"("next_attempt_at") WHERE "status" = 'pending';
ALTER TABLE "alert_notifications" ADD CONSTRAINT "alert_notifications_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_notifications" ADD CONSTRAINT "alert_notifications_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Queues one notification per subscribed, enabled channel for each of these alerts, in the
-- caller's transaction: the one place that decides who hears about an alert, called from
-- postgres.js (raiseAlert, the rules, the system's resolutions) and from Prisma (a person's
-- resolve). A notification_failing alert is not sent to the channel that is failing.
CREATE FUNCTION hookyard_enqueue_alert_notifications(alert_ids UUID[], notification_event "NotificationEvent")
RETURNS INTEGER LANGUAGE sql AS $$
    WITH queued AS (
        INSERT INTO alert_notifications (id, alert_id, channel_id, event)
        SELECT gen_random_uuid(), a.id, c.id, notification_event
        FROM alerts a
        JOIN notification_channels c ON c.enabled AND (c.kinds IS NULL OR a.kind = ANY(c.kinds))
        WHERE a.id = ANY(alert_ids) AND (a.channel_id IS NULL OR a.channel_id <> c.id)
        RETURNING 1
    )
    SELECT count(*)::int FROM queued;
$$;
