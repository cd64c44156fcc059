/**
 * Who is calling: a signed-in person (next-auth session cookie) or a script (Bearer API key).
 * Both resolve to one Principal with a role, and both are checked by the same helper
 * (`requirePrincipal`), which every route handler, server action and page uses.
 */
import { getServerSession } from 'next-auth';
import type { Role } from '@/lib/db/generated/enums';
import { db } from '@/lib/db/prisma';
import { forbidden, unauthorized } from '@/lib/http/errors';
import { findValidApiKey } from './api-keys';
import { authOptions } from './options';
import { hasRole } from './roles';

/** next-auth's session cookie (`__Secure-` prefixed over HTTPS, `.0`/`.1` suffixed when chunked). */
const SESSION_COOKIE_NAME = 'next-auth.session-token';

export interface Principal {
  kind: 'user' | 'api_key';
  id: string;
  /** Email or key name, for the audit log. */
  label: string;
  role: Role;
}

async function principalFromBearer(authorization: string): Promise<Principal | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) return null;
  const key = await findValidApiKey(match[1]);
  return key ? { kind: 'api_key', id: key.id, label: `api key ${key.name} (${key.prefix}…)`, role: key.role } : null;
}

/** The signed-in user, or null when the session is missing, stale, or the user is inactive. */
export async function principalFromSession(): Promise<Principal | null> {
  const session = await getServerSession(authOptions());
  if (!session?.uid) return null;
  const user = await db().user.findUnique({
    where: { id: session.uid },
    select: { id: true, email: true, role: true, active: true, sessionVersion: true },
  });
  if (!user || !user.active || user.sessionVersion !== session.sv) return null;
  return { kind: 'user', id: user.id, label: user.email, role: user.role };
}

/**
 * The caller of this request. An Authorization header, when present, decides alone: a bad key
 * is a 401 even if a session cookie is also sent.
 */
export async function getPrincipal(headers?: Headers): Promise<Principal | null> {
  const authorization = headers?.get('authorization');
  if (authorization) {
    const principal = await principalFromBearer(authorization);
    if (!principal) throw unauthorized('The API key is invalid, revoked or expired');
    return principal;
  }
  // No session cookie at all: a script without a key. Answer without decoding anything.
  if (headers && !headers.get('cookie')?.includes(SESSION_COOKIE_NAME)) return null;
  return principalFromSession();
}

/** The one role check: throws 401 without a caller, 403 when the role is too low. */
export async function requirePrincipal(required: Role, headers?: Headers): Promise<Principal> {
  const principal = await getPrincipal(headers);
  if (!principal) throw unauthorized();
  if (!hasRole(principal.role, required)) throw forbidden(`This needs the ${required} role; you have ${principal.role}`);
  return principal;
}
