/**
 * The alert rules' evaluator, run by every worker process every HOOKYARD_ALERT_RULES_INTERVAL_MS
 * (default 15 s). Each condition is evaluated once per interval across all workers, not once per
 * worker: an evaluation is one transaction that first locks the row `alert_rule_runs('alert-rules')`
 * with FOR UPDATE SKIP LOCKED. A worker that finds it locked (another is evaluating) or finds the
 * last run less than 90% of an interval old skips its tick. The partial unique index behind
 * raiseAlert makes raising idempotent anyway, so even two evaluations could not open two alerts
 * for one condition, nor queue two notifications.
 *
 * Each rule runs in a savepoint: one that fails (a bug, a statement timeout) is rolled back and
 * reported in `last_error`, and the others still run. Every statement is index-bound
 * (docs/alerts.md: one evaluation on a million deliveries), and `statement_timeout` bounds the
 * transaction anyway, so an evaluation never holds a worker's connection for long; the delivery
 * path does not wait on it (it takes one connection of the worker's pool for a few milliseconds).
 */
import type { Sql } from '@/lib/db/sql';
import { logger } from '@/lib/log/logger';
import { backlogAge } from './backlog-age';
import { destinationFailureRate } from './destination-failure-rate';
import { rejectionSpike } from './rejection-spike';
import { type AlertRule, type RuleOutcome, settleRule } from './rule';
import { sourceSilent } from './source-silent';

export const DEFAULT_ALERT_RULES_INTERVAL_MS = 15_000;
export const ALERT_RULES: AlertRule[] = [destinationFailureRate, backlogAge, sourceSilent, rejectionSpike];
const RUN_NAME = 'alert-rules';
/** A tick that comes a little early (timers drift, workers start at different times) still runs. */
const EARLY_TICK_SHARE = 0.9;
const STATEMENT_TIMEOUT_MS = 10_000;

export interface AlertRulesOptions {
  /** The evaluation interval; a run less than 90% of it after the last one is skipped (0: never skipped, for tests). */
  intervalMs: number;
  /** Who runs it (a worker id), recorded in alert_rule_runs.ran_by. */
  runner?: string;
  /** Evaluate as of this time instead of the database's clock (tests move time past a window). */
  at?: Date;
  rules?: AlertRule[];
}

export type AlertRulesReport =
  { ran: false; reason: 'busy' | 'recent' } | { ran: true; at: Date; durationMs: number; outcomes: RuleOutcome[]; errors: { kind: string; message: string }[] };

export async function runAlertRules(sql: Sql, options: AlertRulesOptions): Promise<AlertRulesReport> {
  const started = performance.now();
  const report = await sql.begin(async (tx): Promise<AlertRulesReport> => {
    await tx`SELECT set_config('statement_timeout', ${String(STATEMENT_TIMEOUT_MS)}, true)`;
    await tx`INSERT INTO alert_rule_runs (name, ran_at) VALUES (${RUN_NAME}, 'epoch') ON CONFLICT (name) DO NOTHING`;
    const [gate] = await tx<{ recent: boolean; now: Date }[]>`
      SELECT ran_at > now() - make_interval(secs => ${(options.intervalMs * EARLY_TICK_SHARE) / 1000}) AS recent, now() AS now
      FROM alert_rule_runs WHERE name = ${RUN_NAME} FOR UPDATE SKIP LOCKED`;
    if (!gate) return { ran: false, reason: 'busy' };
    if (gate.recent && options.intervalMs > 0) return { ran: false, reason: 'recent' };
    const at = options.at ?? gate.now;
    const outcomes: RuleOutcome[] = [];
    const errors: { kind: string; message: string }[] = [];
    for (const rule of options.rules ?? ALERT_RULES) {
      try {
        outcomes.push(await tx.savepoint((sp) => rule.evaluate(sp, at).then((findings) => settleRule(sp, rule, findings))));
      } catch (error) {
        errors.push({ kind: rule.kind, message: error instanceof Error ? error.message : String(error) });
      }
    }
    const durationMs = Math.round(performance.now() - started);
    await tx`UPDATE alert_rule_runs SET ran_at = now(), duration_ms = ${durationMs}, ran_by = ${options.runner ?? null},
             last_error = ${errors.length > 0 ? errors.map((e) => `${e.kind}: ${e.message}`).join('; ') : null}
             WHERE name = ${RUN_NAME}`;
    return { ran: true, at, durationMs, outcomes, errors };
  });
  if (report.ran) {
    for (const error of report.errors) logger.error({ rule: error.kind, error: error.message }, 'alert rule failed');
    const changed = report.outcomes.filter((outcome) => outcome.raised.length > 0 || outcome.resolved.length > 0);
    if (changed.length > 0) {
      logger.info(
        { durationMs: report.durationMs, changes: changed.map((o) => ({ kind: o.kind, raised: o.raised.length, resolved: o.resolved.length })) },
        'alert rules raised or resolved alerts',
      );
    }
  }
  return report;
}
