/**
 * Slows, then refuses, repeated failed sign-ins per client address and per account. Counters
 * live in Postgres (auth_throttles) so every web process shares them.
 *
 * Policy (docs/auth.md): within a 15-minute window, from the 3rd failure on each further try is
 * delayed (1 s, 2 s, 4 s … capped at 8 s); at 10 failures the key is locked for 15 minutes.
 * A successful sign-in clears the account's counter (not the address's).
 */
import { db } from '@/lib/db/prisma';

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const LOCK_AFTER_FAILURES = 10;
export const LOCK_MS = 15 * 60_000;
const SLOW_AFTER_FAILURES = 3;
const MAX_DELAY_MS = 8_000;

export function throttleKeys(ip: string | null, email: string): string[] {
  const keys = [`email:${email.toLowerCase()}`];
  if (ip) keys.push(`ip:${ip}`);
  return keys;
}

export interface ThrottleState {
  lockedUntil: Date | null;
  delayMs: number;
}

/** How long to wait before checking the password, or until when sign-in is refused. */
export async function checkThrottle(keys: string[], now = new Date()): Promise<ThrottleState> {
  const rows = await db().authThrottle.findMany({ where: { key: { in: keys } } });
  let lockedUntil: Date | null = null;
  let failures = 0;
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil > now && (!lockedUntil || row.lockedUntil > lockedUntil)) {
      lockedUntil = row.lockedUntil;
    }
    if (now.getTime() - row.windowStart.getTime() < THROTTLE_WINDOW_MS) failures = Math.max(failures, row.failures);
  }
  const over = failures - SLOW_AFTER_FAILURES + 1;
  const delayMs = over > 0 ? Math.min(MAX_DELAY_MS, 1000 * 2 ** (over - 1)) : 0;
  return { lockedUntil, delayMs };
}

export async function recordFailure(keys: string[], now = new Date()): Promise<void> {
  const windowCutoff = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const lockUntil = new Date(now.getTime() + LOCK_MS);
  for (const key of keys) {
    // One statement per key: the window resets when it has passed, and the lock is set
    // atomically when the count reaches the threshold, even with concurrent failures.
    await db().$executeRaw`
      INSERT INTO auth_throttles (key, failures, window_start, last_failed_at)
      VALUES (${key}, 1, ${now}, ${now})
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN auth_throttles.window_start < ${windowCutoff} THEN 1 ELSE auth_throttles.failures + 1 END,
        window_start = CASE WHEN auth_throttles.window_start < ${windowCutoff} THEN ${now} ELSE auth_throttles.window_start END,
        last_failed_at = ${now},
        locked_until = CASE
          WHEN auth_throttles.window_start >= ${windowCutoff} AND auth_throttles.failures + 1 >= ${LOCK_AFTER_FAILURES}
          THEN ${lockUntil} ELSE auth_throttles.locked_until END`;
  }
}

export async function clearThrottle(key: string): Promise<void> {
  await db().authThrottle.deleteMany({ where: { key } });
}
