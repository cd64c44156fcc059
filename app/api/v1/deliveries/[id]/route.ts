import { getDeliveryOrThrow } from '@/lib/events/get-event';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/** One delivery with all its attempts and its event's summary. */
export const GET = apiRoute<undefined, undefined, { id: string }>(operations.getDelivery, async ({ params, principal }) =>
  getDeliveryOrThrow(params.id, principal.role),
);
