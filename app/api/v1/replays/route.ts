import { countReplayMatches } from '@/lib/replay/bulk-replay-match';
import { listReplays } from '@/lib/replay/bulk-replay-status';
import { startBulkReplay } from '@/lib/replay/start-bulk-replay';
import { type CreateReplayInput, createReplaySchema } from '@/lib/replay/replay.schema';
import { accepted, apiRoute } from '@/lib/api/api-route';

/** The latest bulk replays, newest first. */
export const GET = apiRoute({ role: 'VIEWER' }, async () => ({ data: await listReplays() }));

/**
 * `{"filter": {...}, "dryRun"?: true, "ratePerSecond"?}` → 200 `{"count"}` on a dry run, else
 * 202 `{"id", "count"}`. A filter with no field is refused (422) unless it is `{"all": true}`.
 */
export const POST = apiRoute<CreateReplayInput>({ role: 'SUPPORT', body: createReplaySchema }, async ({ body, principal, ip }) => {
  if (body.dryRun) return { count: await countReplayMatches(body.filter) };
  return accepted(await startBulkReplay(body.filter, principal, ip, { ratePerSecond: body.ratePerSecond }));
});
