/**
 * Sign-in locks as admins see and clear them: the users page and `npm run user:unlock` both go
 * through here, so a clear is audited the same way from either. The rules that create the rows
 * are lib/auth/login-throttle.ts.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { db } from '@/lib/db/prisma';
import { THROTTLE_WINDOW_MS, type ThrottleKind, parseThrottleKey } from './login-throttle';

export interface SignInLock {
  key: string;
  kind: ThrottleKind;
  email: string | null;
  ip: string | null;
  /** Failures in the current window. */
  failures: number;
  /** Set while the key refuses sign-in (never for an address). */
  lockedUntil: Date | null;
  lastFailedAt: Date | null;
}

/** Which keys to clear: one key, an account (its own key and every account+address key of it), an address (likewise), or all. */
export type ClearSelector = { key: string } | { email: string } | { ip: string } | { all: true };

function toLock(row: { key: string; failures: number; windowStart: Date; lockedUntil: Date | null; lastFailedAt: Date | null }, now: Date): SignInLock | null {
  const parsed = parseThrottleKey(row.key);
  if (!parsed) return null;
  const locked = parsed.kind !== 'address' && row.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
  const inWindow = now.getTime() - row.windowStart.getTime() < THROTTLE_WINDOW_MS;
  if (!locked && !inWindow) return null;
  return { key: row.key, ...parsed, failures: inWindow ? row.failures : 0, lockedUntil: locked, lastFailedAt: row.lastFailedAt };
}

/** Current locks and counted failures, locks first, then the most recent failures. */
export async function listSignInLocks(now = new Date()): Promise<SignInLock[]> {
  const rows = await db().authThrottle.findMany({ orderBy: [{ lastFailedAt: 'desc' }], take: 500 });
  const locks = rows.map((row) => toLock(row, now)).filter((lock): lock is SignInLock => lock !== null);
  return locks.sort((a, b) => Number(b.lockedUntil !== null) - Number(a.lockedUntil !== null));
}

function whereFor(selector: ClearSelector) {
  if ('key' in selector) return { key: selector.key };
  if ('email' in selector) {
    const email = selector.email.trim().toLowerCase();
    return { OR: [{ key: `email:${email}` }, { key: { startsWith: `email+ip:${email}|` } }] };
  }
  if ('ip' in selector) return { OR: [{ key: `ip:${selector.ip}` }, { key: { startsWith: 'email+ip:', endsWith: `|${selector.ip}` } }] };
  return {};
}

/** Deletes the selected counters and locks, audits each, and returns what was cleared. */
export async function clearSignInLocks(
  selector: ClearSelector,
  actor: Principal | 'system',
  ip: string | null = null,
  now = new Date(),
): Promise<SignInLock[]> {
  return db().$transaction(async (tx) => {
    const rows = await tx.authThrottle.findMany({ where: whereFor(selector) });
    if (rows.length === 0) return [];
    await tx.authThrottle.deleteMany({ where: { key: { in: rows.map((row) => row.key) } } });
    const cleared: SignInLock[] = [];
    for (const row of rows) {
      const lock = toLock(row, now) ?? {
        key: row.key,
        ...(parseThrottleKey(row.key) ?? { kind: 'account' as const, email: null, ip: null }),
        failures: 0,
        lockedUntil: null,
        lastFailedAt: row.lastFailedAt,
      };
      cleared.push(lock);
      await recordAudit(
        actor,
        { action: 'sign_in_lock.clear', targetType: 'sign_in_lock', targetId: row.key, before: { failures: lock.failures, lockedUntil: lock.lockedUntil }, ip },
        tx,
      );
    }
    return cleared;
  });
}
