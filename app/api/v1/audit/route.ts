import { listAudit, listAuditQuerySchema } from '@/lib/audit/list-audit';
import { apiRoute } from '@/lib/api/api-route';

/**
 * `?actor=&action=&targetType=&targetId=&cursor=&limit=` → `{"data", "nextCursor"}`, newest first.
 * VIEWER may read it: entries never contain secret values (lib/audit/list-audit.ts).
 */
export const GET = apiRoute({ role: 'VIEWER', query: listAuditQuerySchema }, async ({ query }) => listAudit(query));
