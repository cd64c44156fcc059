import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';
import { loadOverview } from '@/lib/overview/load-overview';

/**
 * The overview's charts and "right now" numbers: `?range=1h|24h|7d|30d` (default 24h), and
 * optionally `sourceId` or `destinationId`. Points are zero-filled; see lib/overview.
 */
export const GET = apiRoute(operations.getOverview, async ({ query }) => loadOverview(query));
