/**
 * Signed-out visitors of dashboard pages go to /login. This is only the friendly redirect: the
 * real checks (active user, role) run on the server in every page, route and action.
 */
import { getToken } from 'next-auth/jwt';
import { authSecret } from '@/lib/config/settings';
import { type NextRequest, NextResponse } from 'next/server';

export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: authSecret() });
  if (token) return NextResponse.next();
  const login = new URL('/login', request.url);
  const target = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (target !== '/') login.searchParams.set('callbackUrl', target);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything except the API (it answers 401 itself), the sign-in page, and static files.
  matcher: ['/((?!api/|login|_next/|logo.svg|icon.svg|favicon.ico).*)'],
};
