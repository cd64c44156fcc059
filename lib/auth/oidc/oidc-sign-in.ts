/**
 * Just-in-time users for single sign-on. A person is found by their identity at the provider
 * (issuer + subject, which never changes, unlike an email); failing that, an existing Hookyard
 * user with the same *verified* email is linked to that identity (so an admin who created
 * jane@… with a password can let her use SSO); failing that, the user is created. The role is
 * taken from the provider at every sign-in (SPEC: "the role is refreshed at each sign-in"), so
 * moving someone between groups at the provider takes effect the next time they sign in. Without
 * HOOKYARD_OIDC_ROLE_CLAIM there is nothing to refresh from: a new user gets the default role and
 * an admin changes it in Hookyard (otherwise every sign-in would undo the admin's change).
 * Each step is audited. The caller (options.ts, the signIn callback) audits the sign-in itself.
 */
import type { Role } from '@/lib/db/generated/enums';
import type { OidcSettings } from '@/lib/config/oidc-settings';
import { recordAudit } from '@/lib/audit/record-audit';
import { isUniqueViolation } from '@/lib/db/errors';
import { db } from '@/lib/db/prisma';
import { emailSchema } from '@/lib/auth/email';
import type { SignInFailureReason } from '../sign-in-audit';
import { roleFromClaims } from './oidc-role';

const SSO_ACTOR = { kind: 'system', label: 'sso' } as const;

/** What the provider said about the person: the verified id token's claims. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
}

export type OidcSignInResult =
  | { ok: true; user: { id: string; email: string; name: string | null; role: Role; sessionVersion: number } }
  | { ok: false; reason: SignInFailureReason; email: string | null; userId: string | null };

const SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  active: true,
  createdAt: true,
  lastLoginAt: true,
  sessionVersion: true,
  oidcIssuer: true,
  oidcSubject: true,
} as const;

function emailFrom(claims: Record<string, unknown>): string | null {
  const parsed = emailSchema.safeParse(claims.email);
  return parsed.success ? parsed.data : null;
}

function nameFrom(claims: Record<string, unknown>): string | null {
  const name = typeof claims.name === 'string' ? claims.name : typeof claims.preferred_username === 'string' ? claims.preferred_username : null;
  return name?.trim().slice(0, 200) || null;
}

export async function signInWithOidc(
  identity: OidcIdentity,
  settings: Pick<OidcSettings, 'roleClaim' | 'roleMap' | 'defaultRole'>,
  ip: string | null,
  retried = false,
): Promise<OidcSignInResult> {
  const email = emailFrom(identity.claims);
  const verified = identity.claims.email_verified === true || identity.claims.email_verified === 'true';
  const role = roleFromClaims(identity.claims, settings);
  try {
    return await db().$transaction(async (tx) => {
      let user = await tx.user.findUnique({
        where: { oidcIssuer_oidcSubject: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } },
        select: SELECT,
      });
      if (!user) {
        if (!email) return { ok: false, reason: 'no_email', email: null, userId: null } as const;
        const existing = await tx.user.findUnique({ where: { email }, select: SELECT });
        if (existing) {
          // Linking on an unverified email would let anyone who can set that address at the
          // provider take over the account.
          if (!verified) return { ok: false, reason: 'email_not_verified', email, userId: existing.id } as const;
          if (existing.oidcSubject && existing.oidcIssuer === identity.issuer) {
            return { ok: false, reason: 'email_linked_to_other_identity', email, userId: existing.id } as const;
          }
          user = await tx.user.update({
            where: { id: existing.id },
            data: { oidcIssuer: identity.issuer, oidcSubject: identity.subject },
            select: SELECT,
          });
          await recordAudit(
            SSO_ACTOR,
            {
              action: 'user.link_sso',
              targetType: 'user',
              targetId: user.id,
              before: { oidcIssuer: existing.oidcIssuer },
              after: { oidcIssuer: identity.issuer },
              ip,
            },
            tx,
          );
        } else {
          const created = await tx.user.create({
            data: { email, name: nameFrom(identity.claims), role, passwordHash: null, oidcIssuer: identity.issuer, oidcSubject: identity.subject },
            select: SELECT,
          });
          const { sessionVersion: _sv, oidcSubject: _sub, ...after } = created;
          await recordAudit(SSO_ACTOR, { action: 'user.create', targetType: 'user', targetId: created.id, after, ip }, tx);
          user = created;
        }
      }
      if (!user.active) return { ok: false, reason: 'inactive', email: user.email, userId: user.id } as const;

      // Without a role claim the provider says nothing about roles: an admin sets them in Hookyard.
      let newRole = settings.roleClaim ? role : user.role;
      if (user.role === 'ADMIN' && newRole !== 'ADMIN') {
        // The same guard as manage-users.ts: the provider cannot demote the last active admin.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(7301)`;
        if ((await tx.user.count({ where: { role: 'ADMIN', active: true } })) <= 1) newRole = 'ADMIN';
      }
      const updated = await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date(), role: newRole }, select: SELECT });
      if (newRole !== user.role) {
        await recordAudit(
          SSO_ACTOR,
          { action: 'user.role_change', targetType: 'user', targetId: user.id, before: { role: user.role }, after: { role: newRole }, ip },
          tx,
        );
      }
      return {
        ok: true,
        user: { id: updated.id, email: updated.email, name: updated.name, role: updated.role, sessionVersion: updated.sessionVersion },
      } as const;
    });
  } catch (error) {
    // Two first sign-ins of the same person at once: the other one created the user; try again.
    if (isUniqueViolation(error) && !retried) return signInWithOidc(identity, settings, ip, true);
    throw error;
  }
}
