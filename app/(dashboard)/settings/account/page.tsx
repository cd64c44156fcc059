import type { Metadata } from 'next';
import { Card, Notice, PageHeader } from '@/components/ui/card';
import { requireSignedIn } from '@/app/_server/page-guard';
import { accountOf } from '@/lib/users/passwords-and-sessions';
import { ChangePasswordForm } from './change-password-form';
import { SignOutEverywhere } from './sign-out-everywhere';

export const metadata: Metadata = { title: 'Your account' };

/** Every signed-in person's own page: their password and their sessions. */
export default async function AccountPage() {
  const principal = await requireSignedIn();
  const account = await accountOf(principal.id);
  return (
    <>
      <PageHeader title="Your account" description={`Signed in as ${principal.label} (${principal.role}).`} />
      <div className="space-y-6">
        <Card title="Password" description="Changing it signs you out on every other device and browser; this one stays signed in.">
          {account?.hasPassword ? (
            <ChangePasswordForm />
          ) : (
            <Notice>You sign in with single sign-on: your password is managed by your identity provider.</Notice>
          )}
        </Card>
        <Card title="Sessions" description="Signs you out on every device and browser, this one included.">
          <SignOutEverywhere />
        </Card>
      </div>
    </>
  );
}
