import { describe, expect, it } from 'vitest';
import { CIRCUIT_THRESHOLD, nextCircuit } from '@/lib/worker/destination-health';

const now = new Date('2026-12-02T03:00:00.000Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const closed = { state: 'closed', openedAt: null, retryAt: null };

describe('the circuit breaker', () => {
  it('stays closed below the threshold and opens at it for 30 s, once', () => {
    expect(nextCircuit(closed, CIRCUIT_THRESHOLD - 1, now)).toEqual({ ...closed, justOpened: false });
    expect(nextCircuit(closed, CIRCUIT_THRESHOLD, now)).toEqual({ state: 'open', openedAt: now, retryAt: at(30_000), justOpened: true });
  });

  it('leaves an open circuit alone during its cool-down', () => {
    const open = { state: 'open', openedAt: at(-10_000), retryAt: at(20_000) };
    expect(nextCircuit(open, CIRCUIT_THRESHOLD + 5, now)).toEqual({ ...open, justOpened: false });
  });

  it('doubles the cool-down after each failed probe, up to 10 minutes', () => {
    let circuit: { state: string; openedAt: Date | null; retryAt: Date } = { state: 'open', openedAt: at(-30_000), retryAt: now };
    const cooldowns: number[] = [];
    for (let probe = 0; probe < 7; probe++) {
      const next = nextCircuit(circuit, CIRCUIT_THRESHOLD, circuit.retryAt);
      expect(next.justOpened).toBe(false);
      cooldowns.push(next.retryAt!.getTime() - next.openedAt!.getTime());
      circuit = { state: next.state, openedAt: next.openedAt, retryAt: next.retryAt! };
    }
    expect(cooldowns).toEqual([60_000, 120_000, 240_000, 480_000, 600_000, 600_000, 600_000]);
  });
});
