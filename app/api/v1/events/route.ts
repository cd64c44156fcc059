import { listEventsQuerySchema } from '@/lib/list-filters/list-filter.schema';
import { listEvents } from '@/lib/events/list-events';
import { apiRoute } from '@/lib/api/api-route';

/** `{"data": [...], "nextCursor"}`, newest first; filters and `q` syntax in lib/list-filters/list-filter.schema.ts. */
export const GET = apiRoute({ role: 'VIEWER', query: listEventsQuerySchema }, async ({ query }) => listEvents(query));
