import { listEvents } from '@/lib/events/list-events';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/** `{"data": [...], "nextCursor"}`, newest first; filters and `q` syntax in lib/list-filters/list-filter.schema.ts. */
export const GET = apiRoute(operations.listEvents, async ({ query }) => listEvents(query));
