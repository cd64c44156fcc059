import { countReplayMatches } from '@/lib/replay/bulk-replay-match';
import { listReplays } from '@/lib/replay/bulk-replay-status';
import { startBulkReplay } from '@/lib/replay/start-bulk-replay';
import { type CreateReplayInput } from '@/lib/replay/replay.schema';
import { accepted, apiRoute } from '@/lib/api/api-route';
import { operations } from '@/lib/api/operations';

/** The latest bulk replays, newest first. */
export const GET = apiRoute(operations.listReplays, async () => ({ data: await listReplays() }));

/**
 * `{"filter": {...}, "dryRun"?: true, "ratePerSecond"?}` → 200 `{"count"}` on a dry run, else
 * 202 `{"id", "count"}`. A filter with no field is refused (422) unless it is `{"all": true}`.
 */
export const POST = apiRoute<CreateReplayInput>(operations.createReplay, async ({ body, principal, ip }) => {
  if (body.dryRun) return { count: await countReplayMatches(body.filter) };
  return accepted(await startBulkReplay(body.filter, principal, ip, { ratePerSecond: body.ratePerSecond }));
});
