/**
 * next-auth configuration: email + password (argon2id) unless HOOKYARD_PASSWORD_LOGIN=false, and
 * OpenID Connect when HOOKYARD_OIDC_* is set (lib/auth/oidc); JWT sessions. The JWT only names the
 * user and the session version; the role and the active flag are read from the database on
 * every request (lib/auth/principal.ts), so a role change or a deactivation takes effect at once.
 * Every sign-in and every refused one is audited (sign-in-audit.ts).
 */
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { signInSettings } from '@/lib/config/oidc-settings';
import { authSecret, signInMaxDelayMs } from '@/lib/config/settings';
import { db } from '@/lib/db/prisma';
import { clientIp } from '@/lib/http/client-ip';
import { emailSchema } from '@/lib/auth/email';
import { OIDC_PROVIDER_ID, oidcProvider } from './oidc/oidc-provider';
import { signInWithOidc } from './oidc/oidc-sign-in';
import { auditSignIn, auditSignInFailure } from './sign-in-audit';
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
  const ip = clientIp(headers);
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) {
    const email = (raw as { email?: unknown } | null)?.email;
    await auditSignInFailure({ email: typeof email === 'string' ? email.slice(0, 320) : null }, 'password', 'invalid_input', ip);
    return null;
  }
  const { email, password } = parsed.data;
  // The server refuses, not only the login page: with password sign-in off the provider is not
  // even registered (authOptions), and this is the second lock on the same door.
  if (!signInSettings().passwordLogin) {
    await auditSignInFailure({ email }, 'password', 'password_login_disabled', ip);
    return null;
  }
  const now = options.now ?? (() => new Date());
  const keys = throttleKeys(ip, email);
  const throttle = await checkThrottle(keys, now(), signInMaxDelayMs());
  if (throttle.lockedUntil) {
    await auditSignInFailure({ email }, 'password', 'locked', ip);
    throw new Error(LOCKED_ERROR);
  }
  if (throttle.delayMs > 0) await (options.wait ?? sleep)(throttle.delayMs);

  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, active: true, sessionVersion: true, passwordHash: true },
  });
  // Hash even when the user does not exist or has no password (SSO only), so timing does not
  // reveal which emails exist.
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !user.passwordHash || !valid || !user.active) {
    await recordFailure(keys, now());
    const reason = !user ? 'unknown_email' : !user.passwordHash ? 'no_password' : !valid ? 'wrong_password' : 'inactive';
    await auditSignInFailure({ email, userId: user?.id }, 'password', reason, ip);
    return null;
  }
  await clearThrottleKeys(keysClearedBySuccess(ip, email));
  await db().user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await auditSignIn(user, 'password', ip);
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

type RequestHeaders = Record<string, string | string[] | undefined> | Headers;

/**
 * The OpenID Connect sign-in, from next-auth's signIn callback: finds or creates the user
 * (oidc-sign-in.ts) and puts Hookyard's user id and session version on next-auth's user object,
 * which next-auth hands to the jwt callback next. False sends the person back to /login with an error.
 */
async function completeOidcSignIn(user: Record<string, unknown>, profile: Record<string, unknown> | undefined, headers: RequestHeaders | undefined) {
  const settings = signInSettings().oidc;
  const ip = headers ? clientIp(headers) : null;
  if (!settings || !profile || typeof profile.sub !== 'string') return false;
  // next-auth (openid-client) has verified the id token's signature, issuer and audience.
  const issuer = typeof profile.iss === 'string' ? profile.iss : settings.issuer;
  const result = await signInWithOidc({ issuer, subject: profile.sub, claims: profile }, settings, ip);
  if (!result.ok) {
    await auditSignInFailure({ email: result.email, userId: result.userId }, 'oidc', result.reason, ip);
    return false;
  }
  await auditSignIn(result.user, 'oidc', ip);
  user.id = result.user.id;
  user.sessionVersion = result.user.sessionVersion;
  return true;
}

/** The sign-in methods this deployment offers, in the order the login page shows them. */
export function authProviders() {
  const { oidc, passwordLogin } = signInSettings();
  return [
    ...(oidc ? [oidcProvider(oidc)] : []),
    ...(passwordLogin
      ? [
          CredentialsProvider({
            name: 'Email and password',
            credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
            authorize: (credentials, req) => authorizeCredentials(credentials, req.headers ?? {}),
          }),
        ]
      : []),
  ];
}

/** `request`: the request being answered (the /api/auth route passes its headers, for the audit's address). */
export function authOptions(request?: { headers: RequestHeaders }): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    // A refused SSO sign-in (AccessDenied) or a provider error comes back to the login page.
    pages: { signIn: '/login', error: '/login' },
    providers: authProviders(),
    callbacks: {
      signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        return completeOidcSignIn(user as unknown as Record<string, unknown>, profile as Record<string, unknown> | undefined, request?.headers);
      },
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
