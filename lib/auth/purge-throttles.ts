import { db } from '@/lib/db/prisma';
import { LOCK_MS, THROTTLE_WINDOW_MS } from './login-throttle';

/** Removes sign-in throttle rows whose window and lock have both passed. */
export async function purgeExpiredThrottles(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - Math.max(THROTTLE_WINDOW_MS, LOCK_MS));
  const { count } = await db().authThrottle.deleteMany({
    where: { windowStart: { lt: cutoff }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
  });
  return count;
}
