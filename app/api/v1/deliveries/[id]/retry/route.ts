import { retryDelivery } from '@/lib/replay/retry-delivery';
import { accepted, apiRoute } from '@/lib/api/api-route';
import { operations } from '@/lib/api/operations';

/** A failed, cancelled or pending delivery is sent again now → 202; in flight or succeeded → 409. Audited. */
export const POST = apiRoute<undefined, undefined, { id: string }>(operations.retryDelivery, async ({ principal, ip, params }) =>
  accepted(await retryDelivery(params.id, principal, ip)),
);
