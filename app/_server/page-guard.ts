/**
 * For server components: the signed-in principal, or a redirect to /login. Pages that need a
 * higher role render <Forbidden /> (components/forbidden.tsx) when `hasRole` says no.
 */
import { redirect } from 'next/navigation';
import { type Principal, principalFromSession } from '@/lib/auth/principal';

export async function requireSignedIn(): Promise<Principal> {
  const principal = await principalFromSession();
  if (!principal) redirect('/login');
  return principal;
}
