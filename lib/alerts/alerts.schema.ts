/** Query and body shapes of the alerts list and actions, shared by the page, the actions and the API. */
import { z } from 'zod';

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatusName = (typeof ALERT_STATUSES)[number];

/**
 * The alert kinds Hookyard raises: the one list, for raiseAlert, the API and the badges. The
 * database enum also has `destination_failure_rate`, which nothing raises; it stays there so
 * that no migration has to drop an enum value, and is left out here.
 */
export const ALERT_KINDS = ['delivery_exhausted', 'destination_disabled', 'circuit_open'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  delivery_exhausted: 'Delivery gave up',
  destination_disabled: 'Destination disabled',
  circuit_open: 'Circuit open',
};

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
