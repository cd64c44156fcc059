import { cancelReplay } from '@/lib/replay/bulk-replay-status';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/** Stops the replay and cancels its deliveries that are not sent yet. Audited. */
export const POST = apiRoute<undefined, undefined, { id: string }>(operations.cancelReplay, async ({ principal, ip, params }) =>
  cancelReplay(params.id, principal, ip),
);
