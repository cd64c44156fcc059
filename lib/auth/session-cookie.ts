/**
 * Re-issues the caller's own session after a password change bumped their session version: the
 * same next-auth JWT (same user, same cookie name) with the new version, so this browser stays
 * signed in while every other session of the person ends (docs/auth.md). next-auth's own
 * encode/decode are used, so the cookie is exactly what next-auth would have written.
 */
import { decode, encode } from 'next-auth/jwt';
import { authSecret } from '@/lib/config/settings';
import { SESSION_MAX_AGE_SECONDS } from './options';

/** next-auth's session cookie names: `__Secure-` prefixed over HTTPS. (Chunked `.0`/`.1` cookies only occur for tokens far larger than ours.) */
const SESSION_COOKIE_NAMES = ['__Secure-next-auth.session-token', 'next-auth.session-token'] as const;

export interface SessionCookie {
  name: string;
  value: string;
  maxAge: number;
  secure: boolean;
}

/**
 * The session cookie to send back, carrying `sessionVersion`; null when the request has no
 * session cookie of this user (the client must then sign in again).
 */
export async function reissuedSessionCookie(
  cookies: { get(name: string): string | undefined },
  userId: string,
  sessionVersion: number,
): Promise<SessionCookie | null> {
  const secret = authSecret();
  if (!secret) return null;
  for (const name of SESSION_COOKIE_NAMES) {
    const current = cookies.get(name);
    if (!current) continue;
    const token = await decode({ token: current, secret }).catch(() => null);
    if (!token || token.uid !== userId) return null;
    const value = await encode({ token: { ...token, sv: sessionVersion }, secret, maxAge: SESSION_MAX_AGE_SECONDS });
    return { name, value, maxAge: SESSION_MAX_AGE_SECONDS, secure: name.startsWith('__Secure-') };
  }
  return null;
}

/** The Set-Cookie header value for a JSON API answer (the attributes next-auth gives its session cookie). */
export function setCookieHeader(cookie: SessionCookie): string {
  return `${cookie.name}=${cookie.value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${cookie.maxAge}${cookie.secure ? '; Secure' : ''}`;
}

/** Reads cookies from a Cookie request header. */
export function cookiesFromHeader(header: string | null): { get(name: string): string | undefined } {
  const pairs = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) pairs.set(part.slice(0, index).trim(), decodeURIComponent(part.slice(index + 1).trim()));
  }
  return { get: (name) => pairs.get(name) };
}
