import { describe, expect, it } from 'vitest';
import { MIN_WINDOW, nextWindow, readProgress, rowsAllowed, writeProgress } from '@/lib/replay/bulk-replay-pacing';

const startedAt = new Date('2026-12-02T03:00:00.000Z');
const later = (seconds: number) => new Date(startedAt.getTime() + seconds * 1000);

describe('bulk replay pacing', () => {
  it('allows the rate per elapsed second, one second ahead, minus what was made', () => {
    expect(rowsAllowed({ rate: 50, startedAt, now: startedAt, processed: 0, budget: 2000 })).toBe(50);
    expect(rowsAllowed({ rate: 50, startedAt, now: later(1), processed: 50, budget: 2000 })).toBe(50);
    expect(rowsAllowed({ rate: 50, startedAt, now: later(0.5), processed: 50, budget: 2000 })).toBe(25);
    expect(rowsAllowed({ rate: 50, startedAt, now: later(0.5), processed: 80, budget: 2000 })).toBe(0);
  });

  it('never bursts to catch up after a pause, and keeps to the tick budget', () => {
    expect(rowsAllowed({ rate: 50, startedAt, now: later(60), processed: 50, budget: 2000 })).toBe(50);
    expect(rowsAllowed({ rate: 5000, startedAt, now: later(1), processed: 0, budget: 2000 })).toBe(2000);
  });

  it('doubles the window up to the rate while the destinations keep up', () => {
    expect(nextWindow({ window: 10, backlog: 0, rate: 100, started: false, take: 100 })).toEqual({ window: 10, rows: 10 });
    expect(nextWindow({ window: 10, backlog: 0, rate: 100, started: true, take: 100 })).toEqual({ window: 20, rows: 20 });
    expect(nextWindow({ window: 80, backlog: 2, rate: 100, started: true, take: 100 })).toEqual({ window: 100, rows: 100 });
    expect(nextWindow({ window: 80, backlog: 0, rate: 100, started: true, take: 30 })).toEqual({ window: 100, rows: 30 });
  });

  it('halves the window (not below MIN_WINDOW) under a backlog, and makes only what fits beside it', () => {
    expect(nextWindow({ window: 100, backlog: 30, rate: 100, started: true, take: 100 })).toEqual({ window: 50, rows: 20 });
    expect(nextWindow({ window: 12, backlog: 30, rate: 100, started: true, take: 100 })).toEqual({ window: MIN_WINDOW, rows: 0 });
  });

  it('stores its cursor so that a restarted worker resumes there, and refuses a broken one', () => {
    const progress = { after: { at: new Date('2026-12-01T10:00:00.123Z'), id: '01930000-0000-7000-8000-000000000001' }, window: 40 };
    expect(readProgress(writeProgress(progress), 100)).toEqual(progress);
    expect(readProgress(writeProgress(progress), 30)).toEqual({ ...progress, window: 30 });
    expect(readProgress(null, 200)).toEqual({ after: null, window: 20 });
    expect(readProgress('not base64 json', 100)).toBeNull();
  });
});
