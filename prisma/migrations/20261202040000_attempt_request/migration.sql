-- The request each attempt sent (URL and headers), for event detail: lib/worker/send-delivery.ts SentRequest.
ALTER TABLE "attempts" ADD COLUMN "request" JSONB;
