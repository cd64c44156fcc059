/**
 * The sign-in throttling rules: which keys a failed sign-in counts against, when a key slows
 * sign-in and when it refuses it. Counters live in Postgres (auth_throttles) so every web process
 * shares them; this module alone writes that table's counters (lib/auth/sign-in-locks.ts lists
 * and clears them for admins and the shell).
 *
 * Policy (docs/auth.md), within a 15-minute window:
 * - `email+ip:` (one account from one address) locks for 15 minutes at 10 failures: the person
 *   guessing is stopped, and nobody else is affected.
 * - `email:` (one account from anywhere) locks at 30 failures: an attacker spread over several
 *   addresses is still stopped, yet one address alone cannot lock someone else's account.
 * - `ip:` (one address, any account) never locks: behind a NAT or a reverse proxy an address is
 *   a whole team. It only slows every sign-in from it, by at most the delay cap.
 * Every key slows from its 3rd failure on (1 s, 2 s, 4 s … capped at 8 s); the largest delay wins.
 * A successful sign-in clears the account's and the account+address's counters, not the address's.
 */
import { db } from '@/lib/db/prisma';

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;
/** Failures of one account from one address that lock that pair. */
export const PAIR_LOCK_AFTER_FAILURES = 10;
/** Failures of one account, from any addresses, that lock the account everywhere. */
export const ACCOUNT_LOCK_AFTER_FAILURES = 30;
export const SLOW_AFTER_FAILURES = 3;
export const MAX_DELAY_MS = 8_000;

export type ThrottleKind = 'account' | 'account+address' | 'address';

const PREFIX: Record<ThrottleKind, string> = { account: 'email:', 'account+address': 'email+ip:', address: 'ip:' };
/** Between the email and the address in an `email+ip:` key: neither an email nor an IPv6 address contains it. */
const PAIR_SEPARATOR = '|';
const LOCK_AFTER: Record<ThrottleKind, number | null> = {
  account: ACCOUNT_LOCK_AFTER_FAILURES,
  'account+address': PAIR_LOCK_AFTER_FAILURES,
  address: null,
};

export function accountKey(email: string): string {
  return `${PREFIX.account}${email.trim().toLowerCase()}`;
}
export function pairKey(email: string, ip: string): string {
  return `${PREFIX['account+address']}${email.trim().toLowerCase()}${PAIR_SEPARATOR}${ip}`;
}
export function addressKey(ip: string): string {
  return `${PREFIX.address}${ip}`;
}

/** What a key counts: its kind and the account and address it names. */
export function parseThrottleKey(key: string): { kind: ThrottleKind; email: string | null; ip: string | null } | null {
  if (key.startsWith(PREFIX['account+address'])) {
    const rest = key.slice(PREFIX['account+address'].length);
    const at = rest.indexOf(PAIR_SEPARATOR);
    if (at < 0) return null;
    return { kind: 'account+address', email: rest.slice(0, at), ip: rest.slice(at + 1) };
  }
  if (key.startsWith(PREFIX.account)) return { kind: 'account', email: key.slice(PREFIX.account.length), ip: null };
  if (key.startsWith(PREFIX.address)) return { kind: 'address', email: null, ip: key.slice(PREFIX.address.length) };
  return null;
}

/** The keys one sign-in attempt counts against. */
export function throttleKeys(ip: string | null, email: string): string[] {
  return ip ? [accountKey(email), pairKey(email, ip), addressKey(ip)] : [accountKey(email)];
}

/** The keys a successful sign-in clears: the account's own, never the address's. */
export function keysClearedBySuccess(ip: string | null, email: string): string[] {
  return ip ? [accountKey(email), pairKey(email, ip)] : [accountKey(email)];
}

export interface ThrottleState {
  lockedUntil: Date | null;
  delayMs: number;
}

export function delayForFailures(failures: number, maxDelayMs = MAX_DELAY_MS): number {
  const over = failures - SLOW_AFTER_FAILURES + 1;
  return over > 0 ? Math.min(maxDelayMs, 1000 * 2 ** (over - 1)) : 0;
}

/**
 * How long to wait before checking the password, or until when sign-in is refused. Only an
 * account or account+address key refuses; an address key's lock (written before this policy)
 * is ignored.
 */
export async function checkThrottle(keys: string[], now = new Date(), maxDelayMs = MAX_DELAY_MS): Promise<ThrottleState> {
  const rows = await db().authThrottle.findMany({ where: { key: { in: keys } } });
  let lockedUntil: Date | null = null;
  let delayMs = 0;
  for (const row of rows) {
    const kind = parseThrottleKey(row.key)?.kind;
    if (!kind) continue;
    if (LOCK_AFTER[kind] !== null && row.lockedUntil && row.lockedUntil > now && (!lockedUntil || row.lockedUntil > lockedUntil)) {
      lockedUntil = row.lockedUntil;
    }
    if (now.getTime() - row.windowStart.getTime() < THROTTLE_WINDOW_MS) delayMs = Math.max(delayMs, delayForFailures(row.failures, maxDelayMs));
  }
  return { lockedUntil, delayMs };
}

export async function recordFailure(keys: string[], now = new Date()): Promise<void> {
  const windowCutoff = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const lockUntil = new Date(now.getTime() + LOCK_MS);
  for (const key of keys) {
    const kind = parseThrottleKey(key)?.kind;
    if (!kind) throw new Error(`not a sign-in throttle key: ${key}`);
    // An address never locks: a threshold no count reaches.
    const lockAfter = LOCK_AFTER[kind] ?? 2 ** 31 - 1;
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
          WHEN auth_throttles.window_start >= ${windowCutoff} AND auth_throttles.failures + 1 >= ${lockAfter}
          THEN ${lockUntil} ELSE auth_throttles.locked_until END`;
  }
}

export async function clearThrottleKeys(keys: string[]): Promise<void> {
  await db().authThrottle.deleteMany({ where: { key: { in: keys } } });
}
