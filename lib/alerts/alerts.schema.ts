/** Query and body shapes of the alerts list and actions, shared by the page, the actions and the API. */
import { z } from 'zod';

import { ALERT_STATUSES } from './alert-kinds';

export { ALERT_KIND_LABELS, ALERT_KINDS, ALERT_STATUSES, type AlertKind, type AlertStatusName } from './alert-kinds';

export const DEFAULT_ALERT_PAGE_SIZE = 50;
export const MAX_ALERT_PAGE_SIZE = 200;

export const listAlertsQuerySchema = z.strictObject({
  /** Default `open`; `all` lists every status, newest first. */
  status: z.enum([...ALERT_STATUSES, 'all']).default('open'),
  destinationId: z.uuid('Not a destination id').optional(),
  cursor: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_ALERT_PAGE_SIZE).default(DEFAULT_ALERT_PAGE_SIZE),
});
export type ListAlertsQuery = z.infer<typeof listAlertsQuerySchema>;

export const alertIdSchema = z.object({ id: z.uuid('Not an alert id') });
