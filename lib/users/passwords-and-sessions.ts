/**
 * A person's password and sessions: changing one's own password, an admin's reset, and "sign out
 * everywhere". Sessions are JWTs that name a session version (lib/auth/principal.ts refuses an
 * older one), so ending sessions is one increment of users.session_version; each change is
 * audited, never with a password or a hash in the entry (docs/auth.md).
 */
import { checkThrottle, recordFailure, throttleKeys } from '@/lib/auth/login-throttle';
import type { Principal } from '@/lib/auth/principal';
import { generatePassword, hashPassword, verifyPassword } from '@/lib/auth/password';
import { hasRole } from '@/lib/auth/roles';
import { recordAudit } from '@/lib/audit/record-audit';
import { signInMaxDelayMs } from '@/lib/config/settings';
import { db } from '@/lib/db/prisma';
import { AppError, forbidden, notFound } from '@/lib/http/errors';
import type { ChangeOwnPasswordInput, ResetPasswordInput } from './users.schema';

export interface PasswordChanged {
  /** The caller's new session version: their own session is re-issued with it (the others end). */
  sessionVersion: number;
}

/**
 * The caller's own password. The current one must be given (a session left open on a shared
 * computer must not be enough to take the account over). Ends every other session.
 */
export async function changeOwnPassword(actor: Principal, input: ChangeOwnPasswordInput, ip?: string | null): Promise<PasswordChanged> {
  if (actor.kind !== 'user') throw new AppError('bad_request', 'An API key has no password: sign in to the dashboard to change yours');
  const user = await db().user.findUnique({ where: { id: actor.id }, select: { id: true, email: true, passwordHash: true } });
  if (!user) throw notFound('User');
  // Single sign-on accounts have no password of Hookyard's (password_hash is NULL for them).
  if (!user.passwordHash) throw new AppError('conflict', 'This account signs in with single sign-on and has no password to change here');
  // Guessing the current password here is guessing it at the sign-in page: the same counters,
  // delays and locks (lib/auth/login-throttle.ts), so an open session is no faster an oracle.
  const keys = throttleKeys(ip ?? null, user.email);
  const throttle = await checkThrottle(keys, new Date(), signInMaxDelayMs());
  if (throttle.lockedUntil) throw new AppError('rate_limited', 'Too many wrong passwords for this account; try again in 15 minutes');
  if (throttle.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, throttle.delayMs));
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await recordFailure(keys);
    throw new AppError('bad_request', 'The current password is wrong', [{ path: 'currentPassword', message: 'The current password is wrong' }]);
  }
  if (input.currentPassword === input.newPassword) {
    throw new AppError('bad_request', 'The new password is the same as the current one', [{ path: 'newPassword', message: 'Choose a different password' }]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db().$transaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, sessionVersion: { increment: 1 } },
      select: { sessionVersion: true },
    });
    await recordAudit(actor, { action: 'user.password_change', targetType: 'user', targetId: user.id, after: { otherSessionsEnded: true }, ip }, tx);
    return { sessionVersion: updated.sessionVersion };
  });
}

/** An admin sets someone's password (or has one generated, returned once) and ends their sessions. */
export async function resetPassword(
  id: string,
  input: ResetPasswordInput,
  actor: Principal,
  ip?: string | null,
): Promise<{ generatedPassword: string | null }> {
  const password = input.newPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  await db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id }, select: { id: true, email: true } });
    if (!user) throw notFound('User');
    await tx.user.update({ where: { id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await recordAudit(
      actor,
      { action: 'user.password_reset', targetType: 'user', targetId: id, after: { email: user.email, generated: !input.newPassword, sessionsEnded: true }, ip },
      tx,
    );
  });
  return { generatedPassword: input.newPassword ? null : password };
}

/** Ends every session of a user, the caller's own included when it is them. Admins, or the user themselves. */
export async function revokeSessions(id: string, actor: Principal, ip?: string | null): Promise<void> {
  const self = actor.kind === 'user' && actor.id === id;
  if (!self && !hasRole(actor.role, 'ADMIN')) throw forbidden('Only an admin can sign someone else out; you can sign yourself out everywhere');
  await db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id }, select: { email: true } });
    if (!user) throw notFound('User');
    await tx.user.update({ where: { id }, data: { sessionVersion: { increment: 1 } } });
    await recordAudit(actor, { action: 'user.sessions_revoked', targetType: 'user', targetId: id, after: { email: user.email, self }, ip }, tx);
  });
}

/** What the account page shows: who the caller is, and whether they have a password of Hookyard's. */
export async function accountOf(id: string): Promise<{ email: string; name: string | null; role: string; hasPassword: boolean } | null> {
  const user = await db().user.findUnique({ where: { id }, select: { email: true, name: true, role: true, passwordHash: true } });
  return user ? { email: user.email, name: user.name, role: user.role, hasPassword: Boolean(user.passwordHash) } : null;
}
