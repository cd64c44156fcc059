import { resolveAlert } from '@/lib/alerts/manage-alerts';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/** open or acknowledged → resolved; already resolved → 409. Audited as `alert.resolve`. */
export const POST = apiRoute<undefined, undefined, { id: string }>(operations.resolveAlert, async ({ params, principal, ip }) =>
  resolveAlert(params.id, principal, ip),
);
