-- CreateIndex
CREATE INDEX "deliveries_replay_of_id_idx" ON "deliveries"("replay_of_id");

-- CreateIndex
CREATE INDEX "deliveries_created_at_id_idx" ON "deliveries"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "alerts_delivery_id_idx" ON "alerts"("delivery_id");

