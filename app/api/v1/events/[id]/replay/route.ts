import { replayEvent } from '@/lib/replay/replay-event';
import { type ReplayEventInput, replayEventSchema } from '@/lib/replay/replay.schema';
import { accepted, apiRoute } from '@/lib/api/api-route';

/** `{"destinationId"?}` → 202 `{"deliveries": [new ids], "skipped": [...]}`; audited. */
export const POST = apiRoute<ReplayEventInput, undefined, { id: string }>(
  { role: 'SUPPORT', body: replayEventSchema },
  async ({ body, principal, ip, params }) => accepted(await replayEvent(params.id, body, principal, ip)),
);
