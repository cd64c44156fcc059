/**
 * `source_silent`: a source with `expectedEvery` set has accepted no event for that long (the
 * provider stopped sending, or disabled your endpoint). The state itself is computed by
 * source-silence.ts, which the sources pages share. It resolves when an event is accepted, when
 * the expectation is changed so that the source is no longer late, or when the source stops
 * being watched (expectedEvery removed, or the source disabled).
 */
import { effectiveSourceAlertSettings } from '../alert-settings';
import { formatSeconds } from '../durations';
import { type AlertRule, type Finding, formatTime } from './rule';
import { lastAcceptedEventTimes, silenceOf } from './source-silence';
import { loadSourceTargets } from './source-targets';

export const sourceSilent: AlertRule = {
  kind: 'source_silent',
  target: 'source',
  goneResolution: 'the source no longer exists',
  async evaluate(sql, at) {
    const targets = await loadSourceTargets(sql);
    const watched = targets.filter((target) => target.status === 'active' && effectiveSourceAlertSettings(target.alertSettings).expectedEvery !== null);
    const lastEvents = await lastAcceptedEventTimes(
      sql,
      watched.map((target) => target.id),
    );
    return targets.map((target): Finding => {
      const lastEventAt = lastEvents.get(target.id) ?? null;
      const silence = silenceOf(target, lastEventAt, at);
      if (!silence) {
        return {
          targetId: target.id,
          firing: false,
          resolution: target.status !== 'active' ? 'the source was disabled' : 'the source is no longer watched (expectedEvery was removed)',
        };
      }
      const every = formatSeconds(silence.expectedEvery);
      if (!silence.silent) {
        return {
          targetId: target.id,
          firing: false,
          resolution:
            lastEventAt && at.getTime() - lastEventAt.getTime() < silence.expectedEvery * 1000
              ? `an event was accepted at ${formatTime(lastEventAt)}`
              : `the source is no longer late for its expectation (every ${every})`,
        };
      }
      const since = silence.silentSince!;
      const silentFor = (at.getTime() - since.getTime()) / 1000;
      return {
        targetId: target.id,
        firing: true,
        describe: async () => ({
          message: lastEventAt
            ? `${target.name}: no event accepted since ${formatTime(since)}, ${formatSeconds(silentFor)} ago (expected every ${every})`
            : `${target.name}: no event accepted since watching began at ${formatTime(since)} (expected every ${every})`,
          details: {
            expectedEvery: silence.expectedEvery,
            lastEventAt: lastEventAt?.toISOString() ?? null,
            watchingSince: silence.watchingSince.toISOString(),
            observedSeconds: Math.round(silentFor),
            since: since.toISOString(),
          },
        }),
      };
    });
  },
};
