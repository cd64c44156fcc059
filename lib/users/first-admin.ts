/**
 * The first admin, created by `npm start` when the database has no users: from
 * HOOKYARD_ADMIN_EMAIL / HOOKYARD_ADMIN_PASSWORD when set, else admin@localhost with a random
 * password that is printed once.
 */
import { ConfigError } from '@/lib/config/env';
import { readSignInSettings } from '@/lib/config/oidc-settings';
import { isUniqueViolation } from '@/lib/db/errors';
import { db } from '@/lib/db/prisma';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { emailSchema } from '@/lib/auth/email';
import { createUser } from './manage-users';

export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';

export function readAdminSettings(env: Record<string, string | undefined>) {
  const parsedEmail = emailSchema.safeParse(env.HOOKYARD_ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL);
  if (!parsedEmail.success) {
    throw new ConfigError('HOOKYARD_ADMIN_EMAIL', `"${env.HOOKYARD_ADMIN_EMAIL}" is not an email address`);
  }
  const password = env.HOOKYARD_ADMIN_PASSWORD;
  if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) {
    throw new ConfigError('HOOKYARD_ADMIN_PASSWORD', `is shorter than ${MIN_PASSWORD_LENGTH} characters; choose a longer one`);
  }
  // With password sign-in off the first admin gets no password and signs in through SSO: their
  // first sign-in with this (verified) email links the account.
  return { email: parsedEmail.data, password, withoutPassword: !readSignInSettings(env).passwordLogin };
}

/** Returns what was created (with the generated password, if any), or null when users exist. */
export async function ensureFirstAdmin(settings: { email: string; password?: string; withoutPassword?: boolean }) {
  if ((await db().user.count()) > 0) return null;
  try {
    const { user, generatedPassword } = await createUser(
      { email: settings.email, role: 'ADMIN', password: settings.password, name: 'Administrator' },
      'system',
      null,
      { withoutPassword: settings.withoutPassword },
    );
    return { email: user.email, generatedPassword };
  } catch (error) {
    // Another process created it at the same moment.
    if (isUniqueViolation(error) || (error instanceof Error && /already exists/.test(error.message))) return null;
    throw error;
  }
}
