import { listAlerts } from '@/lib/alerts/list-alerts';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/** `?status=open|acknowledged|resolved|all` (default open), `destinationId`, `cursor`, `limit` → `{"data", "nextCursor"}`, newest first. */
export const GET = apiRoute(operations.listAlerts, async ({ query }) => listAlerts(query));
