'use server';

import { cookies } from 'next/headers';
import { z } from 'zod';
import { serverAction } from '@/app/_server/server-action';
import { reissuedSessionCookie } from '@/lib/auth/session-cookie';
import { changeOwnPassword, revokeSessions } from '@/lib/users/passwords-and-sessions';
import { changeOwnPasswordSchema } from '@/lib/users/users.schema';

/** Changes the caller's password: their other sessions end, this browser's session is re-issued. */
export const changePasswordAction = serverAction('VIEWER', changeOwnPasswordSchema, async (input, { principal, ip }) => {
  const { sessionVersion } = await changeOwnPassword(principal, input, ip);
  const jar = await cookies();
  const cookie = await reissuedSessionCookie({ get: (name) => jar.get(name)?.value }, principal.id, sessionVersion);
  if (cookie) jar.set(cookie.name, cookie.value, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: cookie.maxAge, secure: cookie.secure });
  return { signedIn: cookie !== null };
});

/** Ends every session of the caller, this one included (sent once the dialog is confirmed). */
export const signOutEverywhereAction = serverAction('VIEWER', z.object({ confirm: z.literal(true) }), async (_input, { principal, ip }) => {
  await revokeSessions(principal.id, principal, ip);
  return { signedOut: true };
});
