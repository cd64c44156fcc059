import { resolveAlert } from '@/lib/alerts/manage-alerts';
import { apiRoute } from '@/lib/api/api-route';

/** open or acknowledged → resolved; already resolved → 409. Audited as `alert.resolve`. */
export const POST = apiRoute<undefined, undefined, { id: string }>({ role: 'SUPPORT' }, async ({ params, principal, ip }) =>
  resolveAlert(params.id, principal, ip),
);
