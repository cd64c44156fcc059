/**
 * The alert rules' defaults and the shapes of their effective settings (docs/alerts.md), in a
 * module free of zod and of the database, so that the dashboard's forms can show the defaults.
 * The schemas that validate them are in alert-settings.ts.
 */

export const DEFAULT_FAILURE_RATE = { enabled: true, threshold: 0.5, windowSeconds: 300, minAttempts: 20 } as const;
export const DEFAULT_BACKLOG_AGE = { enabled: true, thresholdSeconds: 900 } as const;
export const DEFAULT_REJECTION_SPIKE = { enabled: true, threshold: 20, windowSeconds: 300 } as const;

export interface FailureRateRule {
  enabled: boolean;
  /** The share of failed attempts (0..1) at or over which the alert is raised. */
  threshold: number;
  windowSeconds: number;
  /** Fewer attempts than this in the window are too few to judge: no alert. */
  minAttempts: number;
}

export interface BacklogAgeRule {
  enabled: boolean;
  /** How long the oldest due delivery may wait before the alert is raised. */
  thresholdSeconds: number;
}

export interface RejectionSpikeRule {
  enabled: boolean;
  /** Rejected requests in the window at or over which the alert is raised. */
  threshold: number;
  windowSeconds: number;
}

export interface DestinationAlertSettings {
  failureRate: FailureRateRule;
  backlogAge: BacklogAgeRule;
}

export interface SourceAlertSettings {
  /** Seconds: the source is expected to accept an event at least this often; null = not watched. */
  expectedEvery: number | null;
  rejectionSpike: RejectionSpikeRule;
}
