import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE } from '@/lib/destinations/retry-schedule';
import { nextStep, parseRetryAfter } from '@/lib/worker/retry-policy';

const now = new Date('2026-12-02T03:00:00.000Z');
const after = (step: ReturnType<typeof nextStep>) => (step.kind === 'retry' ? (step.at.getTime() - now.getTime()) / 1000 : null);

describe('the retry policy', () => {
  it('waits schedule[n] after attempt n, within ±10 % jitter', () => {
    const schedule = [0, 10, 100];
    expect(after(nextStep({ attemptsMade: 1, schedule, retryAfterSeconds: null, now, random: () => 0 }))).toBe(9);
    expect(after(nextStep({ attemptsMade: 1, schedule, retryAfterSeconds: null, now, random: () => 0.5 }))).toBe(10);
    expect(after(nextStep({ attemptsMade: 2, schedule, retryAfterSeconds: null, now, random: () => 1 }))).toBe(110);
  });

  it('fails the delivery once the schedule is used up', () => {
    expect(nextStep({ attemptsMade: 3, schedule: [0, 10, 100], retryAfterSeconds: null, now })).toEqual({ kind: 'exhausted' });
    expect(nextStep({ attemptsMade: DEFAULT_RETRY_SCHEDULE.length, schedule: [], retryAfterSeconds: null, now })).toEqual({ kind: 'exhausted' });
  });

  it('uses the default schedule when a destination has none', () => {
    expect(after(nextStep({ attemptsMade: 2, schedule: [], retryAfterSeconds: null, now, random: () => 0.5 }))).toBe(DEFAULT_RETRY_SCHEDULE[2]);
  });

  it('honours Retry-After when it asks for longer, never for shorter', () => {
    expect(after(nextStep({ attemptsMade: 1, schedule: [0, 5], retryAfterSeconds: 120, now, random: () => 0.5 }))).toBe(120);
    expect(after(nextStep({ attemptsMade: 1, schedule: [0, 300], retryAfterSeconds: 2, now, random: () => 0.5 }))).toBe(300);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at a day', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 7 ', now)).toBe(7);
    expect(parseRetryAfter('9999999', now)).toBe(86_400);
    expect(parseRetryAfter(new Date(now.getTime() + 90_500).toUTCString(), now)).toBe(90);
    expect(parseRetryAfter(new Date(now.getTime() - 60_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
