import { describe, expect, it } from 'vitest';
import { canTransition, DELIVERY_TRANSITIONS, derivedStatus, storedFrom, storedFromSql, type TransitionName } from '@/lib/deliveries/lifecycle/state-machine';
import { DELIVERY_STATUSES } from '@/lib/list-filters/list-filter.schema';

describe('the delivery state machine', () => {
  it('names every status the API reports, and only those', () => {
    const reached = new Set(Object.values(DELIVERY_TRANSITIONS).flatMap((t) => [...t.from, t.to]));
    expect([...reached].sort()).toEqual([...DELIVERY_STATUSES].sort());
  });

  it('only lets a worker holding a lease finish an attempt', () => {
    for (const name of ['succeed', 'schedule_retry', 'exhaust', 'give_back'] as TransitionName[]) {
      expect(DELIVERY_TRANSITIONS[name].from).toEqual(['in_flight']);
    }
    expect(DELIVERY_TRANSITIONS.succeed.to).toBe('succeeded');
    expect(DELIVERY_TRANSITIONS.exhaust.to).toBe('failed');
    expect(DELIVERY_TRANSITIONS.schedule_retry.to).toBe('pending');
  });

  it('claims only pending deliveries, and new ones start pending', () => {
    expect(DELIVERY_TRANSITIONS.claim).toMatchObject({ from: ['pending'], to: 'in_flight' });
    expect(DELIVERY_TRANSITIONS.create).toMatchObject({ from: [], to: 'pending' });
  });

  it('retries failed, cancelled and pending deliveries, never one in flight or one that succeeded', () => {
    expect(canTransition('retry', 'failed')).toBe(true);
    expect(canTransition('retry', 'cancelled')).toBe(true);
    expect(canTransition('retry', 'pending')).toBe(true);
    expect(canTransition('retry', 'in_flight')).toBe(false);
    expect(canTransition('retry', 'succeeded')).toBe(false);
    expect(canTransition('retry', 'paused')).toBe(false);
  });

  it('finished deliveries stay finished except by a retry', () => {
    for (const [name, t] of Object.entries(DELIVERY_TRANSITIONS)) {
      const from: readonly string[] = t.from;
      if (name !== 'retry')
        expect(
          from.some((s) => s === 'succeeded' || s === 'failed' || s === 'cancelled'),
          name,
        ).toBe(false);
    }
  });

  it('stores no paused: holding and releasing write nothing, and paused is stored as pending', () => {
    expect(DELIVERY_TRANSITIONS.hold.stored).toBe(false);
    expect(DELIVERY_TRANSITIONS.release.stored).toBe(false);
    expect(
      Object.values(DELIVERY_TRANSITIONS)
        .filter((t) => t.stored)
        .map((t) => t.to),
    ).not.toContain('paused');
    expect(storedFrom('cancel')).toEqual(['pending']);
    expect(storedFrom('retry')).toEqual(['pending', 'failed', 'cancelled']);
  });

  it('reports a pending delivery of a paused destination as paused, and nothing else', () => {
    expect(derivedStatus('pending', 'paused')).toBe('paused');
    expect(derivedStatus('pending', 'active')).toBe('pending');
    expect(derivedStatus('pending', 'disabled')).toBe('pending');
    expect(derivedStatus('failed', 'paused')).toBe('failed');
    expect(derivedStatus('in_flight', 'paused')).toBe('in_flight');
  });
});

describe('storedFromSql', () => {
  it('renders the stored from-statuses as an SQL list of literals', () => {
    expect(storedFromSql('succeed')).toBe("IN ('in_flight')");
    expect(storedFromSql('retry')).toBe("IN ('pending', 'failed', 'cancelled')");
    // paused is stored as pending, so it is not listed twice
    expect(storedFromSql('cancel')).toBe("IN ('pending')");
  });
});
