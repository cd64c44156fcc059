import { acknowledgeAlert } from '@/lib/alerts/manage-alerts';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

/** open → acknowledged (already acknowledged: unchanged); resolved → 409. Audited as `alert.acknowledge`. */
export const POST = apiRoute<undefined, undefined, { id: string }>(operations.acknowledgeAlert, async ({ params, principal, ip }) =>
  acknowledgeAlert(params.id, principal, ip),
);
