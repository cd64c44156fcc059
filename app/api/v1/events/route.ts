import { listEventsQuerySchema } from '@/lib/events/events.schema';
import { listEvents } from '@/lib/events/list-events';
import { apiRoute } from '@/lib/http/api-route';

/** `{"data": [...], "nextCursor"}`, newest first; filters and `q` syntax in lib/events/events.schema.ts. */
export const GET = apiRoute({ role: 'VIEWER', query: listEventsQuerySchema }, async ({ query }) => listEvents(query));
