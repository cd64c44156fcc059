/**
 * A destination's retry schedule: the delay in seconds before each attempt (the first is the
 * first attempt's, normally 0). The one default, used by the API schema, the dashboard form and
 * the worker; prisma/schema.prisma's column default repeats it, and a unit test keeps the two equal.
 */
export type RetrySchedule = readonly number[];

/** The default schedule (docs/contract.md): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (the worker adds jitter). */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

/** The schedule a destination uses: its own, or the default when it has none. */
export function effectiveRetrySchedule(schedule: RetrySchedule | null | undefined): RetrySchedule {
  return schedule && schedule.length > 0 ? schedule : DEFAULT_RETRY_SCHEDULE;
}
