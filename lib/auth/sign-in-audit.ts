/**
 * Sign-ins in the audit log (issue 15: who, when, from where, how): `user.sign_in` for each
 * success and `user.sign_in_failed` for each refusal, from the password sign-in
 * (options.ts authorizeCredentials) and from single sign-on (oidc/oidc-sign-in.ts). The entry's
 * actor is the person who signed in; a failed attempt has no known person, so its actor is
 * "anonymous" and the email tried is in `after`. Passwords and tokens never reach an entry.
 */
import { recordAudit } from '@/lib/audit/record-audit';
import type { Role } from '@/lib/db/generated/enums';

export type SignInMethod = 'password' | 'oidc';

/** Why a sign-in was refused, in words an admin reading the audit log understands. */
export type SignInFailureReason =
  | 'invalid_input'
  | 'locked'
  | 'unknown_email'
  | 'wrong_password'
  | 'no_password'
  | 'inactive'
  | 'password_login_disabled'
  | 'no_email'
  | 'email_not_verified'
  | 'email_linked_to_other_identity';

export async function auditSignIn(user: { id: string; email: string; role: Role }, method: SignInMethod, ip: string | null): Promise<void> {
  await recordAudit(
    { kind: 'user', id: user.id, label: user.email, role: user.role },
    { action: 'user.sign_in', targetType: 'user', targetId: user.id, after: { method }, ip },
  );
}

export async function auditSignInFailure(
  attempt: { email: string | null; userId?: string | null },
  method: SignInMethod,
  reason: SignInFailureReason,
  ip: string | null,
): Promise<void> {
  await recordAudit(
    { kind: 'system', label: 'anonymous' },
    { action: 'user.sign_in_failed', targetType: 'user', targetId: attempt.userId ?? null, after: { method, email: attempt.email, reason }, ip },
  );
}
