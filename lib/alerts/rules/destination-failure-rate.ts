/**
 * `destination_failure_rate`: the share of a destination's delivery attempts that failed in the
 * window (destination_minute_stats: LATERAL, so that each destination is one
 * range of the primary key (destination_id, minute); a join on a window that differs per row was
 * planned as a scan of the whole table) is at or over
 * the threshold, with at least `minAttempts` attempts (fewer are too few to judge). Active
 * destinations only: a paused one sends nothing, a disabled one has its own alert. It resolves
 * when the share falls under the threshold, or the window holds too few attempts to judge.
 */
import { formatSeconds } from '../durations';
import { inactiveResolution, loadDestinationTargets } from './destination-targets';
import { type AlertRule, type Finding, formatPercent, formatTime, windowStart } from './rule';

export const destinationFailureRate: AlertRule = {
  kind: 'destination_failure_rate',
  target: 'destination',
  goneResolution: 'the destination no longer exists',
  async evaluate(sql, at) {
    const targets = await loadDestinationTargets(sql);
    const judged = targets.filter((target) => target.status === 'active' && target.settings.failureRate.enabled);
    const counts = new Map<string, { attempts: number; failed: number }>();
    if (judged.length > 0) {
      const rows = await sql<{ id: string; attempts: number; failed: number }[]>`
        SELECT t.id::text AS id, COALESCE(s.attempts, 0)::int AS attempts, COALESCE(s.failed, 0)::int AS failed
        FROM unnest(${judged.map((t) => t.id)}::uuid[], ${judged.map((t) => t.settings.failureRate.windowSeconds)}::int[]) AS t(id, w)
        CROSS JOIN LATERAL (
          SELECT sum(m.attempts) AS attempts, sum(m.failed) AS failed FROM destination_minute_stats m
          WHERE m.destination_id = t.id AND m.minute > ${at}::timestamptz - make_interval(secs => t.w + 60) AND m.minute <= ${at}::timestamptz
        ) AS s`;
      for (const row of rows) counts.set(row.id, { attempts: row.attempts, failed: row.failed });
    }
    return targets.map((target): Finding => {
      const rule = target.settings.failureRate;
      if (target.status !== 'active') return { targetId: target.id, firing: false, resolution: inactiveResolution(target) };
      if (!rule.enabled) return { targetId: target.id, firing: false, resolution: 'the failure-rate rule was switched off for this destination' };
      const { attempts, failed } = counts.get(target.id) ?? { attempts: 0, failed: 0 };
      const window = formatSeconds(rule.windowSeconds);
      if (attempts < rule.minAttempts) {
        return {
          targetId: target.id,
          firing: false,
          resolution: `only ${attempts} attempts in the last ${window}, fewer than the ${rule.minAttempts} needed to judge the failure rate`,
        };
      }
      const rate = failed / attempts;
      if (rate < rule.threshold) {
        return {
          targetId: target.id,
          firing: false,
          resolution: `the failure rate fell to ${formatPercent(rate)} (${failed} of ${attempts} attempts in the last ${window}; threshold ${formatPercent(rule.threshold)})`,
        };
      }
      const since = windowStart(at, rule.windowSeconds);
      return {
        targetId: target.id,
        firing: true,
        describe: async () => ({
          message: `${target.name}: ${formatPercent(rate)} of ${attempts} delivery attempts failed in the last ${window}, since ${formatTime(since)} (threshold ${formatPercent(rule.threshold)})`,
          details: {
            observed: rate,
            failed,
            attempts,
            threshold: rule.threshold,
            windowSeconds: rule.windowSeconds,
            minAttempts: rule.minAttempts,
            since: since.toISOString(),
          },
        }),
      };
    });
  },
};
