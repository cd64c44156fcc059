import { listDeliveries } from '@/lib/deliveries/list-deliveries';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/** `{"data": [...], "nextCursor"}`, newest first, with the events list's filters. */
export const GET = apiRoute(operations.listDeliveries, async ({ query }) => listDeliveries(query));
