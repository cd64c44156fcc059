-- CreateIndex
CREATE INDEX "deliveries_destination_id_status_next_attempt_at_idx" ON "deliveries"("destination_id", "status", "next_attempt_at");

