// alertSettings: defaults, per-rule merges, the stored jsonb read leniently, and durations as messages show them.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BACKLOG_AGE,
  DEFAULT_FAILURE_RATE,
  DEFAULT_REJECTION_SPIKE,
  effectiveDestinationAlertSettings,
  effectiveSourceAlertSettings,
  expectedEverySince,
  mergeDestinationAlertSettings,
  mergeSourceAlertSettings,
} from '@/lib/alerts/alert-settings';
import { formatSeconds } from '@/lib/alerts/durations';
import { silenceOf } from '@/lib/alerts/rules/source-silence';

const now = new Date('2026-12-02T10:00:00.000Z');

describe('effective settings', () => {
  it('fill in the defaults and keep only overrides that still validate', () => {
    expect(effectiveDestinationAlertSettings({})).toEqual({ failureRate: DEFAULT_FAILURE_RATE, backlogAge: DEFAULT_BACKLOG_AGE });
    expect(effectiveDestinationAlertSettings(null)).toEqual({ failureRate: DEFAULT_FAILURE_RATE, backlogAge: DEFAULT_BACKLOG_AGE });
    expect(
      effectiveDestinationAlertSettings({
        failureRate: { threshold: 0.2, windowSeconds: 61, bogus: 1 },
        backlogAge: { enabled: false, thresholdSeconds: 'x' },
      }),
    ).toEqual({ failureRate: { ...DEFAULT_FAILURE_RATE, threshold: 0.2 }, backlogAge: { ...DEFAULT_BACKLOG_AGE, enabled: false } });
    expect(effectiveSourceAlertSettings({ expectedEvery: 3, rejectionSpike: [] })).toEqual({ expectedEvery: null, rejectionSpike: DEFAULT_REJECTION_SPIKE });
    expect(effectiveSourceAlertSettings({ expectedEvery: 3600 }).expectedEvery).toBe(3600);
  });
});

describe('merging a PATCH', () => {
  it('merges a rule field by field, drops a rule given as null, and keeps rules not mentioned', () => {
    const stored = mergeDestinationAlertSettings({}, { failureRate: { threshold: 0.3 }, backlogAge: { enabled: false } });
    expect(stored).toEqual({ failureRate: { threshold: 0.3 }, backlogAge: { enabled: false } });
    expect(mergeDestinationAlertSettings(stored, { failureRate: { minAttempts: 5 } })).toEqual({
      failureRate: { threshold: 0.3, minAttempts: 5 },
      backlogAge: { enabled: false },
    });
    expect(mergeDestinationAlertSettings(stored, { failureRate: null })).toEqual({ backlogAge: { enabled: false } });
  });

  it('starts watching a source when expectedEvery is first set, keeps that time when it changes, and forgets it on null', () => {
    const watched = mergeSourceAlertSettings({}, { expectedEvery: 600 }, now);
    expect(watched).toEqual({ expectedEvery: 600, expectedEverySince: now.toISOString() });
    const changed = mergeSourceAlertSettings(watched, { expectedEvery: 1200 }, new Date(now.getTime() + 60_000));
    expect(changed).toEqual({ expectedEvery: 1200, expectedEverySince: now.toISOString() });
    expect(expectedEverySince(changed)).toEqual(now);
    expect(mergeSourceAlertSettings(changed, { rejectionSpike: { threshold: 5 } }, now)).toEqual({ ...changed, rejectionSpike: { threshold: 5 } });
    const unwatched = mergeSourceAlertSettings(changed, { expectedEvery: null }, now);
    expect(unwatched).toEqual({});
    expect(expectedEverySince(unwatched)).toBeNull();
  });
});

describe('a source’s silence', () => {
  const createdAt = new Date('2026-11-01T00:00:00.000Z');
  const watched = (every: number, since?: Date) => ({
    status: 'active',
    createdAt,
    alertSettings: { expectedEvery: every, ...(since ? { expectedEverySince: since.toISOString() } : {}) },
  });

  it('is silent once expectedEvery has passed since the last event, and dates it from that event', () => {
    const last = new Date(now.getTime() - 3_599_000);
    expect(silenceOf(watched(3600, createdAt), last, now)).toMatchObject({ silent: false, silentSince: null });
    expect(silenceOf(watched(3600, createdAt), last, new Date(now.getTime() + 1000))).toMatchObject({ silent: true, silentSince: last });
  });

  it('counts from when watching began when that is later than the last event, or from creation when unrecorded', () => {
    const since = new Date(now.getTime() - 1800_000);
    const old = new Date('2026-11-20T00:00:00.000Z');
    expect(silenceOf(watched(3600, since), old, now)).toMatchObject({ silent: false });
    expect(silenceOf(watched(3600, since), old, new Date(since.getTime() + 3600_000))).toMatchObject({ silent: true, silentSince: old });
    expect(silenceOf(watched(3600, since), null, new Date(since.getTime() + 3600_000))).toMatchObject({ silent: true, silentSince: since });
    expect(silenceOf(watched(3600), null, now)).toMatchObject({ silent: true, watchingSince: createdAt, silentSince: createdAt });
  });

  it('is not watched without expectedEvery, or when the source is disabled', () => {
    expect(silenceOf({ status: 'active', createdAt, alertSettings: {} }, null, now)).toBeNull();
    expect(silenceOf({ ...watched(60), status: 'disabled' }, null, now)).toBeNull();
  });
});

it('formats durations with at most two adjacent units', () => {
  expect([0, 10, 90, 300, 3600, 3601, 5400, 86_400, 183_600].map(formatSeconds)).toEqual([
    '0 s',
    '10 s',
    '1 min 30 s',
    '5 min',
    '1 h',
    '1 h',
    '1 h 30 min',
    '1 d',
    '2 d 3 h',
  ]);
});
