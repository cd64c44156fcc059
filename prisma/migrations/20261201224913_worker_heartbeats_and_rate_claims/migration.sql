-- AlterEnum
ALTER TYPE "AttemptErrorKind" ADD VALUE 'worker_lost';

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "claimed_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "destination_rate_claims" (
    "destination_id" UUID NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL,
    "delivery_id" UUID NOT NULL,

    CONSTRAINT "destination_rate_claims_pkey" PRIMARY KEY ("destination_id","claimed_at","delivery_id")
);

-- CreateTable
CREATE TABLE "workers" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "in_flight" INTEGER NOT NULL DEFAULT 0,
    "stopped_at" TIMESTAMPTZ(3),

    CONSTRAINT "workers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "workers_heartbeat_at_idx" ON "workers"("heartbeat_at" DESC);

-- AddForeignKey
ALTER TABLE "destination_rate_claims" ADD CONSTRAINT "destination_rate_claims_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "destinations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

