-- Issue 13, notification delivery (lib/notifications/dispatch-notifications.ts, docs/notifications.md).

-- A channel's throttle: the dispatcher sends it no message before this moment, set when it claims
-- the channel's due notifications. Several dispatchers see the same gate, so a storm sends one
-- digest per channel per interval, whatever the number of workers.
ALTER TABLE "notification_channels" ADD COLUMN "next_message_at" TIMESTAMPTZ(3);

-- Which claim holds a notification's lease: a dispatcher records an outcome only for rows its own
-- claim still holds, so a send whose lease expired and was taken over is not recorded twice.
ALTER TABLE "alert_notifications" ADD COLUMN "lease_token" UUID;
-- How many notifications went in the message that carried this one (1: alone; more: a digest).
ALTER TABLE "alert_notifications" ADD COLUMN "digest_size" INTEGER;
