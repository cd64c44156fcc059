/** Query and body shapes of the alerts list and actions, shared by the page, the actions and the API. */
import { z } from 'zod';

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatusName = (typeof ALERT_STATUSES)[number];

/** The alert kinds of SPEC ("Alerts and notifications"): the one list, for raiseAlert, the rules, the API, channels' subscriptions and the badges. */
export const ALERT_KINDS = [
  'delivery_exhausted',
  'destination_failure_rate',
  'destination_circuit_open',
  'destination_disabled',
  'backlog_age',
  'source_silent',
  'rejection_spike',
  'notification_failing',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  delivery_exhausted: 'Delivery gave up',
  destination_failure_rate: 'Failure rate high',
  destination_circuit_open: 'Circuit open',
  destination_disabled: 'Destination disabled',
  backlog_age: 'Backlog growing old',
  source_silent: 'Source silent',
  rejection_spike: 'Rejection spike',
  notification_failing: 'Notifications failing',
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
