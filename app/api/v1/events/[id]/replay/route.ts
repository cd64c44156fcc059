import { replayEvent } from '@/lib/replay/replay-event';
import { type ReplayEventInput } from '@/lib/replay/replay.schema';
import { accepted, apiRoute } from '@/lib/api/api-route';
import { operations } from '@/lib/api/operations';

/** `{"destinationId"?}` → 202 `{"deliveries": [new ids], "skipped": [...]}`; audited. */
export const POST = apiRoute<ReplayEventInput, undefined, { id: string }>(operations.replayEvent, async ({ body, principal, ip, params }) =>
  accepted(await replayEvent(params.id, body, principal, ip)),
);
