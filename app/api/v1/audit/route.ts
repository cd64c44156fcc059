import { listAudit } from '@/lib/audit/list-audit';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/**
 * `?actor=&action=&targetType=&targetId=&cursor=&limit=` → `{"data", "nextCursor"}`, newest first.
 * VIEWER may read it: entries never contain secret values (lib/audit/list-audit.ts).
 */
export const GET = apiRoute(operations.listAudit, async ({ query }) => listAudit(query));
