/**
 * Per-source rate limits shared by every web process: one-second fixed windows counted in
 * Postgres (rate_limit_windows). A process that has already seen the window fill refuses locally
 * without asking the database again until the next second.
 */
import { sql } from '@/lib/db/sql';

const exhaustedUntil = new Map<string, number>();

export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

export async function takeRateToken(key: string, limitPerSecond: number, nowMs = Date.now()): Promise<RateDecision> {
  const windowStart = Math.floor(nowMs / 1000) * 1000;
  if ((exhaustedUntil.get(key) ?? 0) > nowMs) return { allowed: false, retryAfterSeconds: 1 };
  const [row] = await sql()<{ count: number }[]>`
    INSERT INTO rate_limit_windows (key, window_start, count)
    VALUES (${key}, ${new Date(windowStart)}, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_windows.count + 1
    RETURNING count`;
  if ((row?.count ?? 0) <= limitPerSecond) return { allowed: true, retryAfterSeconds: 0 };
  exhaustedUntil.set(key, windowStart + 1000);
  return { allowed: false, retryAfterSeconds: 1 };
}

/** Removes windows older than a minute (run by the worker). */
export async function purgeRateWindows(): Promise<void> {
  await sql()`DELETE FROM rate_limit_windows WHERE window_start < now() - interval '1 minute'`;
}
