-- "Failed, waiting for a replay" (lib/deliveries/awaiting-replay.ts) as index-only scans of two
-- small partial indexes, instead of a heap fetch per failed delivery and per probe: the overview,
-- the destinations list, a destination's page and the failed queue count it, and at a million
-- events (40,000 failed) they took 1.2-2.4 s.
--  - the failed deliveries, with what the probe and the scopes need (~4% of the rows, entered
--    when a delivery fails for good: nothing on the ingest path);
--  - the replays (the only deliveries of an (event, destination) after its first: one route per
--    source and destination, so ingest makes one), which the probe looks for.
CREATE INDEX "deliveries_failed_idx" ON "deliveries"("destination_id", "created_at" DESC, "id") INCLUDE ("event_id", "source_id") WHERE "status" = 'failed';
CREATE INDEX "deliveries_replays_by_pair_idx" ON "deliveries"("event_id", "destination_id", "created_at", "id") INCLUDE ("status") WHERE "replay_of_id" IS NOT NULL;
