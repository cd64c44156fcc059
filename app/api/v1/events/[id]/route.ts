import { getEventOrThrow } from '@/lib/events/get-event';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/** The event with headers, body, verification result, deliveries and their attempts. */
export const GET = apiRoute<undefined, undefined, { id: string }>(operations.getEvent, async ({ params, principal }) =>
  getEventOrThrow(params.id, principal.role),
);
