/** Creating, changing and deactivating users, each audited. */
import type { Principal } from '@/lib/auth/principal';
import { generatePassword, hashPassword } from '@/lib/auth/password';
import { recordAudit } from '@/lib/audit/record-audit';
import { isUniqueViolation } from '@/lib/db/errors';
import { db } from '@/lib/db/prisma';
import { conflict, notFound } from '@/lib/http/errors';
import type { CreateUserInput, UpdateUserInput } from './users.schema';

export const PUBLIC_USER_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  active: true,
  createdAt: true,
  lastLoginAt: true,
  deactivatedAt: true,
} as const;

/** How a user can sign in: with a password (they have one), through SSO (they have signed in with it), or both. */
export type SignInMethodName = 'password' | 'oidc';

export async function listUsers() {
  const users = await db().user.findMany({
    // The hash is read only to say whether there is one; it never leaves this function.
    select: { ...PUBLIC_USER_SELECT, passwordHash: true, oidcSubject: true },
    orderBy: { createdAt: 'asc' },
  });
  return users.map(({ passwordHash, oidcSubject, ...user }) => ({
    ...user,
    signInMethods: [...(passwordHash ? ['password' as const] : []), ...(oidcSubject ? ['oidc' as const] : [])] satisfies SignInMethodName[],
  }));
}

/**
 * Creates a user; returns the generated password when none was given (shown once).
 * `withoutPassword`: a user who will sign in through SSO only (the shell's `user:create` when
 * HOOKYARD_PASSWORD_LOGIN=false); their first SSO sign-in with that verified email links them.
 */
export async function createUser(input: CreateUserInput, actor: Principal | 'system', ip?: string | null, { withoutPassword = false } = {}) {
  const password = withoutPassword ? null : (input.password ?? generatePassword());
  try {
    const user = await db().$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email: input.email, name: input.name, role: input.role, passwordHash: password === null ? null : await hashPassword(password) },
        select: PUBLIC_USER_SELECT,
      });
      await recordAudit(actor, { action: 'user.create', targetType: 'user', targetId: created.id, after: created, ip }, tx);
      return created;
    });
    return { user, generatedPassword: input.password || password === null ? null : password };
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A user with the email ${input.email} already exists`);
    throw error;
  }
}

export async function updateUser(id: string, input: UpdateUserInput, actor: Principal, ip?: string | null) {
  return db().$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id }, select: PUBLIC_USER_SELECT });
    if (!before) throw notFound('User');
    const demotesAdmin = before.role === 'ADMIN' && before.active && (input.active === false || (input.role && input.role !== 'ADMIN'));
    if (demotesAdmin) {
      // Serialise admin changes so two concurrent demotions cannot leave zero admins.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7301)`;
      const admins = await tx.user.count({ where: { role: 'ADMIN', active: true } });
      if (admins <= 1) throw conflict('This is the last active admin; make someone else an admin first');
    }
    const deactivated = input.active === false && before.active;
    const after = await tx.user.update({
      where: { id },
      data: {
        role: input.role,
        name: input.name,
        active: input.active,
        deactivatedAt: input.active === false ? (before.deactivatedAt ?? new Date()) : input.active ? null : undefined,
        // Ends existing sessions: their JWT's version no longer matches. A role change needs no
        // such step, because the role is read from the database on every request.
        sessionVersion: deactivated ? { increment: 1 } : undefined,
      },
      select: PUBLIC_USER_SELECT,
    });
    const action = deactivated ? 'user.deactivate' : input.active && !before.active ? 'user.reactivate' : 'user.update';
    await recordAudit(actor, { action, targetType: 'user', targetId: id, before, after, ip }, tx);
    return after;
  });
}
