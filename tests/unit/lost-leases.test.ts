import { describe, expect, it } from 'vitest';
import { decide } from '@/lib/worker/record-results';
import { lostLeaseOutcome } from '@/lib/worker/recover-lost-leases';
import { WORKER_GONE_AFTER_MS, workerState } from '@/lib/worker/worker-registry';

const claimedAt = new Date('2026-12-01T10:00:00.000Z');
const recoveredAt = new Date('2026-12-01T10:00:12.345Z');

describe('a lost lease as an attempt', () => {
  it('starts at the claim, lasts until the takeover, and says which worker and why', () => {
    expect(lostLeaseOutcome({ owner: 'host:42:abc', claimedAt, recoveredAt, reason: 'gone' })).toEqual({
      startedAt: claimedAt,
      durationMs: 12_345,
      status: null,
      headers: null,
      body: null,
      errorKind: 'worker_lost',
      errorMessage: 'worker host:42:abc stopped sending heartbeats before it recorded an outcome',
      retryAfter: null,
      request: null,
    });
    expect(lostLeaseOutcome({ owner: 'w', claimedAt, recoveredAt, reason: 'expired' }).errorMessage).toBe(
      'the lease expired before worker w recorded an outcome',
    );
    expect(lostLeaseOutcome({ owner: null, claimedAt, recoveredAt, reason: 'stopped' }).errorMessage).toMatch(/^its worker stopped without/);
    // A clock that stepped back never makes a negative duration.
    expect(lostLeaseOutcome({ owner: 'w', claimedAt: recoveredAt, recoveredAt: claimedAt, reason: 'expired' }).durationMs).toBe(0);
  });

  it.each([
    { attemptCount: 0, schedule: [0, 1, 1], status: 'pending', delayMs: 1000 },
    { attemptCount: 1, schedule: [0, 1, 60], status: 'pending', delayMs: 60_000 },
    { attemptCount: 2, schedule: [0, 1, 1], status: 'failed', delayMs: null },
  ])(
    'follows the destination schedule like a failed send: after attempt $attemptCount + 1 of $schedule, $status',
    ({ attemptCount, schedule, status, delayMs }) => {
      const outcome = lostLeaseOutcome({ owner: 'w', claimedAt, recoveredAt, reason: 'gone' });
      const update = decide({ delivery: { id: 'd', attemptCount }, destination: { id: 't', retrySchedule: schedule }, outcome }, recoveredAt, () => 0.5);
      expect(update).toMatchObject({ id: 'd', status, code: null });
      expect(update.error).toBe(`worker_lost: ${outcome.errorMessage}`);
      expect(update.nextAttemptAt === null ? null : update.nextAttemptAt.getTime() - recoveredAt.getTime()).toBe(delayMs);
    },
  );
});

describe('workerState', () => {
  const now = new Date('2026-12-01T10:00:00.000Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  it.each([
    { heartbeatAgoMs: 0, stopped: false, state: 'live' },
    { heartbeatAgoMs: WORKER_GONE_AFTER_MS, stopped: false, state: 'live' },
    { heartbeatAgoMs: WORKER_GONE_AFTER_MS + 1, stopped: false, state: 'gone' },
    { heartbeatAgoMs: 0, stopped: true, state: 'stopped' },
    { heartbeatAgoMs: 86_400_000, stopped: true, state: 'stopped' },
  ])('heartbeat $heartbeatAgoMs ms ago, stopped: $stopped → $state', ({ heartbeatAgoMs, stopped, state }) => {
    expect(workerState({ heartbeatAt: ago(heartbeatAgoMs), stoppedAt: stopped ? ago(heartbeatAgoMs) : null }, now)).toBe(state);
  });
});
