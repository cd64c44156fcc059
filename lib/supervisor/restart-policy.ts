/**
 * When a supervised process that exited on its own is started again. The first restart comes
 * quickly (a crash is usually a one-off, and intake is waiting), each further failure in a row
 * doubles the wait up to a cap, and a process that stayed up for a minute counts as healthy again,
 * so its next failure starts from the short delay. Three failures in a row without a healthy
 * minute is a crash loop: it keeps being retried at the capped pace, and it is shown loudly.
 */
export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Running this long resets the run of failures. */
  healthyAfterMs: number;
  /** Failures in a row that make a crash loop. */
  crashLoopAfter: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 250,
  maxDelayMs: 30_000,
  healthyAfterMs: 60_000,
  crashLoopAfter: 3,
};

/**
 * The failures in a row after one more exit: a process that ran for at least `healthyAfterMs`
 * starts a new run at 1.
 */
export function failuresAfterExit(previousFailures: number, ranForMs: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number {
  return ranForMs >= policy.healthyAfterMs ? 1 : previousFailures + 1;
}

/** How long to wait before the next start, after `failures` failures in a row (1 or more). */
export function restartDelayMs(failures: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number {
  const exponent = Math.max(0, failures - 1);
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(exponent, 30));
}

export function isCrashLoop(failures: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): boolean {
  return failures >= policy.crashLoopAfter;
}
