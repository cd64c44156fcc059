'use client';

import { signIn } from 'next-auth/react';
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { Notice } from '@/components/ui/card';

const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'That email and password do not match an active account.',
  locked: 'Too many failed attempts for this account. Sign-in is paused for up to 15 minutes; an admin can clear it sooner.',
  // Single sign-on comes back here with ?error=… (next-auth's error codes).
  AccessDenied: 'Single sign-on did not let you in: the account is deactivated, or its email is not verified or already linked. Ask an admin.',
  OAuthSignin: 'Could not reach the single sign-on provider. Try again, or ask an admin.',
  OAuthCallback: 'Single sign-on did not complete. Try again.',
  Callback: 'Single sign-on did not complete. Try again.',
};

export interface LoginOptions {
  /** The SSO button's provider name ("Sign in with …"), or null without SSO. */
  ssoName: string | null;
  /** False: no email and password form (HOOKYARD_PASSWORD_LOGIN=false). */
  passwordLogin: boolean;
}

/** Only same-site paths are followed after sign-in. */
function safeCallback(raw: string | null): string {
  return raw && raw.startsWith('/') && !raw.startsWith('//') ? raw : '/';
}

export function LoginForm({ ssoName, passwordLogin }: LoginOptions) {
  const router = useRouter();
  const params = useSearchParams();
  const returned = params.get('error');
  const [error, setError] = useState<string | null>(returned ? (MESSAGES[returned] ?? 'Sign-in failed. Try again.') : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    setPending(false);
    if (!result || result.error) {
      setError(MESSAGES[result?.error ?? ''] ?? 'Sign-in failed. Try again.');
      return;
    }
    router.replace(safeCallback(params.get('callbackUrl')));
    router.refresh();
  }

  const sso = ssoName ? (
    <Button
      type="button"
      variant={passwordLogin ? 'secondary' : 'primary'}
      className="w-full"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn('oidc', { callbackUrl: safeCallback(params.get('callbackUrl')) });
      }}
    >
      Sign in with {ssoName}
    </Button>
  ) : null;

  if (!passwordLogin) {
    return (
      <div className="space-y-5">
        {error ? <Notice tone="error">{error}</Notice> : null}
        {sso ?? <Notice tone="error">No sign-in method is configured: set HOOKYARD_OIDC_* or HOOKYARD_PASSWORD_LOGIN=true.</Notice>}
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {sso ? (
        <>
          {sso}
          <div className="flex items-center gap-3 text-xs text-slate-500">
            <span className="h-px flex-1 bg-slate-200" />
            or with your password
            <span className="h-px flex-1 bg-slate-200" />
          </div>
        </>
      ) : null}
      <Field label="Email" htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </Field>
      <Field label="Password" htmlFor="password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
