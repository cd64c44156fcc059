import { replayEvent } from '@/lib/replay/replay-event';
import { type ReplayEventInput, replayEventSchema } from '@/lib/events/events.schema';
import { accepted, apiRoute } from '@/lib/http/api-route';

/** `{"destinationId"?}` → 202 `{"deliveries": [new ids], "skipped": [...]}`; audited. */
export const POST = apiRoute<ReplayEventInput, undefined, { id: string }>(
  { role: 'SUPPORT', body: replayEventSchema },
  async ({ body, principal, ip, params }) => accepted(await replayEvent(params.id, body, principal, ip)),
);
