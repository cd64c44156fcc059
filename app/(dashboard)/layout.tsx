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
          <span className="truncate text-sm text-slate-600" data-testid="current-user">
            {principal.label}
          </span>
          <Badge tone="indigo">{principal.role}</Badge>
          <SignOutButton />
        </>
      }
    >
      {children}
    </DashboardShell>
  );
}
