/**
 * What every alert rule is, and the one way its findings become alerts. A rule looks at every
 * target it watches and says, for each, whether its condition holds (`firing`, with the alert's
 * message and details) or not (with the reason, which becomes the resolution of an alert that is
 * open). `settleRule` then raises the firing ones that have no open alert yet (raiseAlert queues
 * their notifications) and resolves, through resolveAlertsBySystem, the open ones whose condition
 * cleared or whose target the rule no longer watches. A condition that still holds on an open
 * alert changes nothing: it is the same alert, not a new occurrence, so it neither counts nor notifies.
 */
import type postgres from 'postgres';
import type { AlertKind } from '../alerts.schema';
import { raiseAlert } from '../raise-alert';
import { resolveAlertsBySystem } from '../resolve-cleared-alerts';

export type RuleSql = postgres.TransactionSql;

export type Finding =
  /** `describe` runs only when the alert is raised: a condition that still holds on an open alert costs no more queries. */
  { targetId: string; firing: true; describe: () => Promise<AlertText> } | { targetId: string; firing: false; resolution: string };

export interface AlertText {
  message: string;
  details: Record<string, unknown>;
}

export interface AlertRule {
  kind: AlertKind;
  target: 'destination' | 'source';
  /** The findings at `at` (the database's clock), one per target the rule knows about. */
  evaluate(sql: RuleSql, at: Date): Promise<Finding[]>;
  /** The resolution of an open alert whose target has no finding any more. */
  goneResolution: string;
}

export interface RuleOutcome {
  kind: AlertKind;
  /** Targets whose condition holds. */
  firing: number;
  /** Ids of alerts raised, and resolved, by this evaluation. */
  raised: string[];
  resolved: string[];
}

export async function settleRule(sql: RuleSql, rule: AlertRule, findings: Finding[]): Promise<RuleOutcome> {
  // Served by the partial unique index alerts_one_open_per_target (kind, COALESCE(…)) WHERE status <> 'resolved'.
  const open = await sql<{ id: string; target: string }[]>`
    SELECT id::text, COALESCE(destination_id, source_id, channel_id)::text AS target
    FROM alerts WHERE kind = ${rule.kind}::"AlertKind" AND status <> 'resolved'`;
  const openByTarget = new Map(open.map((row) => [row.target, row.id]));
  const byTarget = new Map(findings.map((finding) => [finding.targetId, finding]));
  const outcome: RuleOutcome = { kind: rule.kind, firing: 0, raised: [], resolved: [] };
  for (const finding of findings) {
    if (!finding.firing) continue;
    outcome.firing++;
    if (openByTarget.has(finding.targetId)) continue;
    const target = rule.target === 'destination' ? { destinationId: finding.targetId } : { sourceId: finding.targetId };
    const { message, details } = await finding.describe();
    const raised = await raiseAlert(sql, { kind: rule.kind, ...target, message, details });
    if (raised.raised) outcome.raised.push(raised.id);
  }
  for (const [target, id] of openByTarget) {
    const finding = byTarget.get(target);
    if (finding?.firing) continue;
    const resolution = finding ? finding.resolution : rule.goneResolution;
    outcome.resolved.push(...(await resolveAlertsBySystem(sql, sql`a.id = ${id}::uuid`, resolution)));
  }
  return outcome;
}

/** "2026-12-02 10:42 UTC": times in alert messages, which are read in Slack and email far from the dashboard. */
export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const percentFormat = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
export const formatPercent = (share: number) => percentFormat.format(share);

/**
 * The per-minute counters a window of `windowSeconds` ending at `at` reads: every minute bucket
 * that overlaps it (bucket m holds [m, m + 60 s)), so a window covers at least its length and at
 * most a minute more.
 */
export function windowStart(at: Date, windowSeconds: number): Date {
  return new Date(at.getTime() - windowSeconds * 1000);
}
