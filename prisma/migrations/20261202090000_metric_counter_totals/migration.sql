-- Running totals behind /api/metrics' counters (lib/prometheus/deployment-figures.ts): each hour
-- summed into *_hour_stats is also added here, in the same transaction (lib/overview/hour-rollups.ts),
-- so a counter is total + the minutes of hours not summed yet, and retention deleting old minute
-- and hour rows never makes it go backwards.

-- CreateTable
CREATE TABLE "source_counter_totals" (
    "source_id" UUID NOT NULL,
    "received" BIGINT NOT NULL DEFAULT 0,
    "accepted" BIGINT NOT NULL DEFAULT 0,
    "rejected" BIGINT NOT NULL DEFAULT 0,
    "duplicates" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "source_counter_totals_pkey" PRIMARY KEY ("source_id")
);

-- CreateTable
CREATE TABLE "destination_counter_totals" (
    "destination_id" UUID NOT NULL,
    "attempts" BIGINT NOT NULL DEFAULT 0,
    "succeeded" BIGINT NOT NULL DEFAULT 0,
    "failed" BIGINT NOT NULL DEFAULT 0,
    "exhausted" BIGINT NOT NULL DEFAULT 0,
    "latency_ms_sum" BIGINT NOT NULL DEFAULT 0,
    "latency_hist" BIGINT[] DEFAULT ARRAY[]::BIGINT[],

    CONSTRAINT "destination_counter_totals_pkey" PRIMARY KEY ("destination_id")
);

-- AddForeignKey
ALTER TABLE "source_counter_totals" ADD CONSTRAINT "source_counter_totals_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "destination_counter_totals" ADD CONSTRAINT "destination_counter_totals_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "destinations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The hours summed before this migration start the totals.
INSERT INTO "source_counter_totals" ("source_id", "received", "accepted", "rejected", "duplicates")
SELECT "source_id", sum("received"), sum("accepted"), sum("rejected"), sum("duplicates")
FROM "source_hour_stats" GROUP BY "source_id";

INSERT INTO "destination_counter_totals" ("destination_id", "attempts", "succeeded", "failed", "exhausted", "latency_ms_sum", "latency_hist")
SELECT h."destination_id", sum(h."attempts"), sum(h."succeeded"), sum(h."failed"), sum(h."exhausted"), sum(h."latency_ms_sum"),
       (SELECT array_agg(s ORDER BY i) FROM (
          SELECT i, sum(COALESCE(x."latency_hist"[i], 0))::bigint AS s
          FROM "destination_hour_stats" x, generate_series(1, 12) AS i
          WHERE x."destination_id" = h."destination_id" GROUP BY i) slots)
FROM "destination_hour_stats" h GROUP BY h."destination_id";
