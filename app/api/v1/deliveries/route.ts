import { listDeliveries } from '@/lib/deliveries/list-deliveries';
import { listDeliveriesQuerySchema } from '@/lib/list-filters/list-filter.schema';
import { apiRoute } from '@/lib/api/api-route';

/** `{"data": [...], "nextCursor"}`, newest first, with the events list's filters. */
export const GET = apiRoute({ role: 'VIEWER', query: listDeliveriesQuerySchema }, async ({ query }) => listDeliveries(query));
