import { listDeliveries } from '@/lib/deliveries/list-deliveries';
import { listDeliveriesQuerySchema } from '@/lib/events/events.schema';
import { apiRoute } from '@/lib/http/api-route';

/** `{"data": [...], "nextCursor"}`, newest first, with the events list's filters. */
export const GET = apiRoute({ role: 'VIEWER', query: listDeliveriesQuerySchema }, async ({ query }) => listDeliveries(query));
