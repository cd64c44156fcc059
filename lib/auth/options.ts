/**
 * next-auth configuration: email + password (argon2id), JWT sessions. The JWT only names the
 * user and the session version; the role and the active flag are read from the database on
 * every request (lib/auth/principal.ts), so a role change or a deactivation takes effect at once.
 */
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { authSecret, signInMaxDelayMs } from '@/lib/config/settings';
import { db } from '@/lib/db/prisma';
import { clientIp } from '@/lib/http/client-ip';
import { emailSchema } from '@/lib/auth/email';
import { checkThrottle, clearThrottleKeys, keysClearedBySuccess, recordFailure, throttleKeys } from './login-throttle';
import { dummyPasswordHash, verifyPassword } from './password';

export const LOCKED_ERROR = 'locked';
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

const credentialsSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(1024),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Injected by tests: the clock, and the wait of a throttled attempt (so a test observes it instead of sleeping). */
export interface AuthorizeOptions {
  now?: () => Date;
  wait?: (ms: number) => Promise<void>;
}

export async function authorizeCredentials(raw: unknown, headers: Record<string, string | string[] | undefined>, options: AuthorizeOptions = {}) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const now = options.now ?? (() => new Date());
  const ip = clientIp(headers);
  const keys = throttleKeys(ip, email);
  const throttle = await checkThrottle(keys, now(), signInMaxDelayMs());
  if (throttle.lockedUntil) throw new Error(LOCKED_ERROR);
  if (throttle.delayMs > 0) await (options.wait ?? sleep)(throttle.delayMs);

  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, active: true, sessionVersion: true, passwordHash: true },
  });
  // Hash even when the user does not exist, so timing does not reveal which emails exist.
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !valid || !user.active) {
    await recordFailure(keys, now());
    return null;
  }
  await clearThrottleKeys(keysClearedBySuccess(ip, email));
  await db().user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        authorize: (credentials, req) => authorizeCredentials(credentials, req.headers ?? {}),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 1;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, uid: token.uid, sv: token.sv };
      },
    },
  };
}
