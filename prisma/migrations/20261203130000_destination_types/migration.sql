-- Destination types (docs/destination-types.md): broker destinations (amqp, redis, nats) carry
-- per-scheme options and an encrypted URL password; broker attempts can fail with two new kinds.
ALTER TYPE "AttemptErrorKind" ADD VALUE 'auth';
ALTER TYPE "AttemptErrorKind" ADD VALUE 'no_route';

ALTER TABLE "destinations" ADD COLUMN "options" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN "url_password" BYTEA;
