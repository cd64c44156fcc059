/**
 * The alert statuses and kinds with their labels, without zod: client components (the badges, the
 * notification channel form) import these, and zod must stay out of the browser bundle, because
 * building a zod object schema probes `new Function` to decide whether it may compile a fast
 * parser, which the Content-Security-Policy reports as a violation (docs/security.md).
 */
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
