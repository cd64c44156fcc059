import Link from 'next/link';
import type { ReactNode } from 'react';
import { DashboardShell } from '@/components/shell/dashboard-shell';
import { SignOutButton } from '@/components/sign-out-button';
import { Badge } from '@/components/ui/card';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await requireSignedIn();
  return (
    <DashboardShell
      isAdmin={hasRole(principal.role, 'ADMIN')}
      header={
        <>
          <Link
            href="/settings/account"
            className="truncate text-sm text-slate-600 hover:text-slate-900 hover:underline"
            data-testid="current-user"
            title="Your account: password and sessions"
          >
            {principal.label}
          </Link>
          <Badge tone="indigo">{principal.role}</Badge>
          <SignOutButton />
        </>
      }
    >
      {children}
    </DashboardShell>
  );
}
