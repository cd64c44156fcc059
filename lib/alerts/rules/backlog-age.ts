/**
 * `backlog_age`: a destination's oldest due delivery has waited longer than the threshold. A
 * pending delivery's wait is counted from when it became due (`next_attempt_at`), not from when it
 * was created: a delivery waiting out its retry schedule (or retried by hand days after it
 * failed) is not late, while one the workers cannot get to (too few workers, the circuit holding
 * everything, a rate limit or maxConcurrency too low for the traffic, an ordering key's head
 * blocking) is. Failures have their own rules. Paused destinations are left out: their held
 * deliveries wait on purpose, and are due the moment the destination resumes. Disabled ones have
 * their own alert.
 *
 * Per destination, one probe of the index `deliveries (destination_id, status, next_attempt_at)`:
 * its first pending entry is the oldest due delivery, whatever the number of rows (docs/alerts.md
 * has the measurement on a million deliveries).
 */
import { formatSeconds } from '../durations';
import { inactiveResolution, loadDestinationTargets } from './destination-targets';
import { type AlertRule, type Finding, formatTime } from './rule';

/** At most this many due deliveries are counted for the message ("10,000+"). */
const COUNT_CAP = 10_000;
const count = new Intl.NumberFormat('en');

export const backlogAge: AlertRule = {
  kind: 'backlog_age',
  target: 'destination',
  goneResolution: 'the destination no longer exists',
  async evaluate(sql, at) {
    const targets = await loadDestinationTargets(sql);
    const judged = targets.filter((target) => target.status === 'active' && target.settings.backlogAge.enabled);
    const oldest = new Map<string, Date>();
    if (judged.length > 0) {
      const rows = await sql<{ id: string; due: Date | null }[]>`
        SELECT t.id::text AS id,
               (SELECT d.next_attempt_at FROM deliveries d WHERE d.destination_id = t.id AND d.status = 'pending'
                ORDER BY d.next_attempt_at LIMIT 1) AS due
        FROM unnest(${judged.map((t) => t.id)}::uuid[]) AS t(id)`;
      for (const row of rows) if (row.due) oldest.set(row.id, row.due);
    }
    const findings: Finding[] = [];
    for (const target of targets) {
      const rule = target.settings.backlogAge;
      if (target.status !== 'active') {
        findings.push({
          targetId: target.id,
          firing: false,
          resolution:
            target.status === 'paused' ? 'the destination was paused: its held deliveries wait for the resume on purpose' : inactiveResolution(target),
        });
        continue;
      }
      if (!rule.enabled) {
        findings.push({ targetId: target.id, firing: false, resolution: 'the backlog-age rule was switched off for this destination' });
        continue;
      }
      const due = oldest.get(target.id);
      const waitedSeconds = due ? Math.max(0, (at.getTime() - due.getTime()) / 1000) : 0;
      if (waitedSeconds < rule.thresholdSeconds) {
        findings.push({
          targetId: target.id,
          firing: false,
          resolution:
            waitedSeconds > 0
              ? `the oldest due delivery has waited ${formatSeconds(waitedSeconds)}, under the ${formatSeconds(rule.thresholdSeconds)} threshold`
              : 'no delivery is waiting',
        });
        continue;
      }
      findings.push({
        targetId: target.id,
        firing: true,
        describe: async () => {
          const [counted] = await sql<{ waiting: number }[]>`
            SELECT count(*)::int AS waiting FROM (SELECT 1 FROM deliveries d WHERE d.destination_id = ${target.id}::uuid AND d.status = 'pending'
              AND d.next_attempt_at <= ${at}::timestamptz LIMIT ${COUNT_CAP + 1}) AS capped`;
          const waiting = counted?.waiting ?? 0;
          const circuit = target.circuitState !== 'closed' ? '; the circuit is open, so only probes go out' : '';
          return {
            message:
              `${target.name}: the oldest due delivery has waited ${formatSeconds(waitedSeconds)}, since ${formatTime(due!)} ` +
              `(threshold ${formatSeconds(rule.thresholdSeconds)}); ${waiting > COUNT_CAP ? `${count.format(COUNT_CAP)}+` : count.format(waiting)} due ${waiting === 1 ? 'delivery' : 'deliveries'} waiting${circuit}`,
            details: {
              observedSeconds: Math.round(waitedSeconds),
              thresholdSeconds: rule.thresholdSeconds,
              dueDeliveries: Math.min(waiting, COUNT_CAP),
              circuitState: target.circuitState,
              since: due!.toISOString(),
            },
          };
        },
      });
    }
    return findings;
  },
};
