import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { principalFromSession } from '@/lib/auth/principal';
import { signInSettings } from '@/lib/config/oidc-settings';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function LoginPage() {
  if (await principalFromSession()) redirect('/');
  const { oidc, passwordLogin } = signInSettings();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center gap-3">
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src="/logo.svg" alt="" width={36} height={36} />
          <div>
            <h1 className="text-xl font-semibold">Sign in to Hookyard</h1>
            <p className="text-sm text-slate-500">Webhook gateway dashboard</p>
          </div>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <Suspense>
            <LoginForm ssoName={oidc?.name ?? null} passwordLogin={passwordLogin} />
          </Suspense>
        </div>
        <p className="mt-6 text-xs text-slate-500">
          First run? <code className="font-mono">npm start</code> printed the first admin&apos;s password. Admins create everyone else&apos;s account.
        </p>
      </div>
    </main>
  );
}
