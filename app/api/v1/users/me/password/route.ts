import { ApiResult, apiRoute } from '@/lib/api/api-route';
import { operations } from '@/lib/api/operations';
import { cookiesFromHeader, reissuedSessionCookie, setCookieHeader } from '@/lib/auth/session-cookie';
import { changeOwnPassword } from '@/lib/users/passwords-and-sessions';

/** The caller's own password; their other sessions end, this one is re-issued (docs/auth.md). */
export const POST = apiRoute(operations.changeOwnPassword, async ({ body, principal, ip, request }) => {
  const { sessionVersion } = await changeOwnPassword(principal, body, ip);
  const cookie = await reissuedSessionCookie(cookiesFromHeader(request.headers.get('cookie')), principal.id, sessionVersion);
  return new ApiResult(200, { changed: true, signedIn: cookie !== null }, cookie ? { 'set-cookie': setCookieHeader(cookie) } : {});
});
