/**
 * When to try again. The destination's schedule lists the delay before each attempt (the first
 * entry is the first attempt's, normally 0): after attempt n fails, the next waits schedule[n]
 * seconds, ±10 % jitter so that a recovering receiver is not hit by a thundering herd. A
 * Retry-After from the receiver (seconds or an HTTP date) is honoured when it asks for longer,
 * up to a day. When the schedule is used up, the delivery has failed.
 */
import { effectiveRetrySchedule } from '@/lib/destinations/retry-schedule';

const MAX_RETRY_AFTER_SECONDS = 86_400;
const JITTER = 0.1;

export function parseRetryAfter(value: string | undefined | null, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), MAX_RETRY_AFTER_SECONDS);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, Math.ceil((at - now.getTime()) / 1000)), MAX_RETRY_AFTER_SECONDS);
}

export type NextStep = { kind: 'retry'; at: Date } | { kind: 'exhausted' };

export function nextStep(input: {
  attemptsMade: number;
  schedule: readonly number[];
  retryAfterSeconds: number | null;
  now: Date;
  random?: () => number;
}): NextStep {
  const schedule = effectiveRetrySchedule(input.schedule);
  if (input.attemptsMade >= schedule.length) return { kind: 'exhausted' };
  const base = schedule[input.attemptsMade] ?? 0;
  const random = input.random ?? Math.random;
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  const delaySeconds = Math.max(jittered, input.retryAfterSeconds ?? 0);
  return { kind: 'retry', at: new Date(input.now.getTime() + Math.round(delaySeconds * 1000)) };
}
