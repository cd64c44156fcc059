import { getReplay } from '@/lib/replay/bulk-replay-status';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/** Progress: total, processed, status, times, who cancelled, and the new deliveries by status. */
export const GET = apiRoute<undefined, undefined, { id: string }>(operations.getReplay, async ({ params }) => getReplay(params.id));
