import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WakeCoalescer } from '@/lib/db/wake-workers';

describe('WakeCoalescer', () => {
  let now = 0;
  let sent = 0;
  let coalescer: WakeCoalescer;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 1000;
    sent = 0;
    coalescer = new WakeCoalescer(
      5,
      () => sent++,
      () => now,
    );
  });
  afterEach(() => vi.useRealTimers());

  const advance = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it('lets one batch per window carry the NOTIFY', () => {
    expect(coalescer.carry()).toBe(true);
    advance(2);
    expect(coalescer.carry()).toBe(false);
    advance(2);
    expect(coalescer.carry()).toBe(false);
    advance(1);
    expect(coalescer.carry()).toBe(true);
  });

  it('sends one on its own a window after an uncovered commit when no carrier followed it', () => {
    expect(coalescer.carry()).toBe(true);
    advance(1);
    expect(coalescer.carry()).toBe(false);
    advance(1);
    coalescer.uncovered();
    coalescer.uncovered();
    advance(4);
    expect(sent).toBe(0);
    advance(1);
    expect(sent).toBe(1);
    advance(50);
    expect(sent).toBe(1);
  });

  it('sends none when a carrier was sent after the last uncovered commit', () => {
    coalescer.carry();
    advance(1);
    coalescer.uncovered();
    advance(4);
    expect(coalescer.carry()).toBe(true); // the next window's carrier commits after, and covers it
    advance(10);
    expect(sent).toBe(0);
  });

  it('covers again what a failed carrier was to cover', () => {
    expect(coalescer.carry()).toBe(true);
    coalescer.carrierFailed();
    expect(coalescer.carry()).toBe(true); // the next batch may carry at once
    coalescer.carrierFailed();
    advance(5);
    expect(sent).toBe(1);
  });
});
