-- DropIndex
DROP INDEX "events_source_id_received_at_idx";

-- DropIndex
DROP INDEX "deliveries_event_id_idx";

-- CreateTable
CREATE TABLE "source_hour_stats" (
    "source_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "received" INTEGER NOT NULL DEFAULT 0,
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "source_hour_stats_pkey" PRIMARY KEY ("source_id","hour")
);

-- CreateTable
CREATE TABLE "destination_hour_stats" (
    "destination_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "exhausted" INTEGER NOT NULL DEFAULT 0,
    "latency_ms_sum" BIGINT NOT NULL DEFAULT 0,
    "latency_hist" INTEGER[] DEFAULT ARRAY[]::INTEGER[],

    CONSTRAINT "destination_hour_stats_pkey" PRIMARY KEY ("destination_id","hour")
);

-- CreateTable
CREATE TABLE "stats_rollup_hours" (
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "rolled_up_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stats_rollup_hours_pkey" PRIMARY KEY ("hour")
);

-- CreateIndex
CREATE INDEX "source_hour_stats_hour_idx" ON "source_hour_stats"("hour");

-- CreateIndex
CREATE INDEX "destination_hour_stats_hour_idx" ON "destination_hour_stats"("hour");

-- CreateIndex
CREATE INDEX "events_source_id_received_at_id_idx" ON "events"("source_id", "received_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "deliveries_event_id_status_idx" ON "deliveries"("event_id", "status");

-- AddForeignKey
ALTER TABLE "source_hour_stats" ADD CONSTRAINT "source_hour_stats_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "destination_hour_stats" ADD CONSTRAINT "destination_hour_stats_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "destinations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

