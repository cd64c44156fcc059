import type { ReactNode } from 'react';
import { NavLink } from '@/components/nav-link';
import { SignOutButton } from '@/components/sign-out-button';
import { Badge } from '@/components/ui/card';
import { requireSignedIn } from '@/lib/auth/page-guard';
import { hasRole } from '@/lib/auth/roles';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await requireSignedIn();
  const isAdmin = hasRole(principal.role, 'ADMIN');
  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-56 shrink-0 border-r border-slate-200 bg-white px-3 py-5 md:block">
        <div className="mb-6 flex items-center gap-2 px-3">
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src="/logo.svg" alt="" width={24} height={24} />
          <span className="text-base font-semibold">Hookyard</span>
        </div>
        <nav aria-label="Main" className="space-y-1">
          <NavLink href="/">Overview</NavLink>
          <NavLink href="/events">Events</NavLink>
          <NavLink href="/failed">Failed deliveries</NavLink>
          <NavLink href="/sources">Sources</NavLink>
          <NavLink href="/destinations">Destinations</NavLink>
          <NavLink href="/alerts">Alerts</NavLink>
          <NavLink href="/audit">Audit log</NavLink>
          <NavLink href="/system">System</NavLink>
          {isAdmin ? (
            <>
              <p className="px-3 pb-1 pt-4 text-xs font-semibold uppercase tracking-wide text-slate-400">Settings</p>
              <NavLink href="/settings/users">Users</NavLink>
              <NavLink href="/settings/api-keys">API keys</NavLink>
            </>
          ) : null}
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end gap-3 border-b border-slate-200 bg-white px-6 py-3">
          <span className="text-sm text-slate-600" data-testid="current-user">
            {principal.label}
          </span>
          <Badge tone="indigo">{principal.role}</Badge>
          <SignOutButton />
        </header>
        <main className="mx-auto w-full max-w-6xl flex-1 px-6 py-8">{children}</main>
      </div>
    </div>
  );
}
