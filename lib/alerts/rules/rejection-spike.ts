/**
 * `rejection_spike`: a source rejected at least `threshold` requests in the window (bad
 * signatures, unknown or expired secrets, stale timestamps, addresses outside the allowlist, its
 * rate limit): a provider that rotated its secret, or someone probing the URL. The count comes
 * from source_minute_stats.rejected (LATERAL: one primary-key range per source), which counts every rejection (rejected_requests keeps only a
 * bounded sample); the sample gives the most common reasons for the message. Active sources only
 * (a disabled source answers 404 and counts nothing). It resolves when the window's count falls
 * under the threshold.
 */
import { effectiveSourceAlertSettings } from '../alert-settings';
import { formatSeconds } from '../durations';
import { type AlertRule, type Finding, formatTime, windowStart } from './rule';
import { loadSourceTargets } from './source-targets';

/** Reasons that usually mean the provider signs with a secret Hookyard does not have. */
const SECRET_REASONS = new Set(['bad_signature', 'unknown_secret', 'expired_secret', 'missing_header', 'malformed_header']);

export const rejectionSpike: AlertRule = {
  kind: 'rejection_spike',
  target: 'source',
  goneResolution: 'the source no longer exists',
  async evaluate(sql, at) {
    const targets = (await loadSourceTargets(sql)).map((target) => ({ ...target, rule: effectiveSourceAlertSettings(target.alertSettings).rejectionSpike }));
    const judged = targets.filter((target) => target.status === 'active' && target.rule.enabled);
    const rejected = new Map<string, number>();
    if (judged.length > 0) {
      const rows = await sql<{ id: string; rejected: number }[]>`
        SELECT t.id::text AS id, COALESCE(s.rejected, 0)::int AS rejected
        FROM unnest(${judged.map((t) => t.id)}::uuid[], ${judged.map((t) => t.rule.windowSeconds)}::int[]) AS t(id, w)
        CROSS JOIN LATERAL (
          SELECT sum(m.rejected) AS rejected FROM source_minute_stats m
          WHERE m.source_id = t.id AND m.minute > ${at}::timestamptz - make_interval(secs => t.w + 60) AND m.minute <= ${at}::timestamptz
        ) AS s`;
      for (const row of rows) rejected.set(row.id, row.rejected);
    }
    const findings: Finding[] = [];
    for (const target of targets) {
      const { rule } = target;
      if (target.status !== 'active') {
        findings.push({ targetId: target.id, firing: false, resolution: 'the source was disabled' });
        continue;
      }
      if (!rule.enabled) {
        findings.push({ targetId: target.id, firing: false, resolution: 'the rejection-spike rule was switched off for this source' });
        continue;
      }
      const observed = rejected.get(target.id) ?? 0;
      const window = formatSeconds(rule.windowSeconds);
      if (observed < rule.threshold) {
        findings.push({
          targetId: target.id,
          firing: false,
          resolution: `rejections fell to ${observed} in the last ${window} (threshold ${rule.threshold})`,
        });
        continue;
      }
      const since = windowStart(at, rule.windowSeconds);
      findings.push({
        targetId: target.id,
        firing: true,
        describe: async () => {
          // The recorded sample of the window, by reason (index rejected_requests (source_id, received_at DESC); bounded by the sampling rate).
          const reasons = await sql<{ reason: string; count: number }[]>`
            SELECT reason, count(*)::int AS count FROM rejected_requests
            WHERE source_id = ${target.id}::uuid AND received_at > ${since}::timestamptz - interval '60 seconds' AND received_at <= ${at}::timestamptz
            GROUP BY reason ORDER BY count(*) DESC, reason LIMIT 3`;
          const top = reasons[0]?.reason;
          const hint = top && SECRET_REASONS.has(top) ? ' Did the provider rotate its secret?' : '';
          return {
            message:
              `${target.name}: ${observed} requests rejected in the last ${window}, since ${formatTime(since)} (threshold ${rule.threshold})` +
              `${top ? `; mostly ${top}` : ''}.${hint}`,
            details: {
              observed,
              threshold: rule.threshold,
              windowSeconds: rule.windowSeconds,
              since: since.toISOString(),
              reasons: Object.fromEntries(reasons.map((row) => [row.reason, row.count])),
            },
          };
        },
      });
    }
    return findings;
  },
};
