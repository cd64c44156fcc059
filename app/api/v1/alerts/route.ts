import { listAlertsQuerySchema } from '@/lib/alerts/alerts.schema';
import { listAlerts } from '@/lib/alerts/list-alerts';
import { apiRoute } from '@/lib/api/api-route';

/** `?status=open|acknowledged|resolved|all` (default open), `destinationId`, `cursor`, `limit` → `{"data", "nextCursor"}`, newest first. */
export const GET = apiRoute({ role: 'VIEWER', query: listAlertsQuerySchema }, async ({ query }) => listAlerts(query));
