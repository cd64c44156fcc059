-- The event stream's commit order (lib/events/stream): the id of the transaction that stored each
-- event. Added without a value for the events already stored (no table rewrite); new rows get it
-- from the column default.
-- AlterTable
ALTER TABLE "events" ADD COLUMN     "stream_txid" BIGINT;
ALTER TABLE "events" ALTER COLUMN "stream_txid" SET DEFAULT (pg_current_xact_id())::text::bigint;

-- CreateIndex
CREATE INDEX "events_stream_txid_id_idx" ON "events"("stream_txid", "id");
