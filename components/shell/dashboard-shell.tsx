'use client';

import { type ReactNode, useEffect, useRef, useState } from 'react';
import { NavLink } from '@/components/nav-link';

/**
 * The signed-in frame: a skip link, the main navigation and the header. On screens of 1280 px
 * and wider the navigation is a fixed sidebar; below that (a 1024 px laptop, a tablet) it sits
 * behind a Menu button so the tables get the whole width. The open menu is a panel over the
 * page: Escape, the backdrop or a link closes it, and focus goes back to the Menu button.
 */
export function DashboardShell({ isAdmin, header, children }: { isAdmin: boolean; header: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const nav = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!open) return;
    nav.current?.querySelector<HTMLElement>('a')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <>
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-semibold text-indigo-700 shadow ring-2 ring-indigo-600 focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50"
      >
        Skip to content
      </a>
      <div className="flex min-h-screen">
        {open ? <div className="fixed inset-0 z-30 bg-slate-900/30 xl:hidden" aria-hidden="true" onClick={() => setOpen(false)} /> : null}
        <aside
          id="main-nav"
          className={`${open ? 'fixed inset-y-0 left-0 z-40 block overflow-y-auto shadow-xl' : 'hidden'} w-56 shrink-0 border-r border-slate-200 bg-white px-3 py-5 xl:static xl:block xl:shadow-none`}
        >
          <div className="mb-6 flex items-center gap-2 px-3">
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src="/logo.svg" alt="" width={24} height={24} />
            <span className="text-base font-semibold">Hookyard</span>
          </div>
          <nav
            ref={nav}
            aria-label="Main"
            className="space-y-1"
            onClick={(event) => {
              if ((event.target as HTMLElement).closest('a')) setOpen(false);
            }}
          >
            <NavLink href="/">Overview</NavLink>
            <NavLink href="/events">Events</NavLink>
            <NavLink href="/failed">Failed deliveries</NavLink>
            <NavLink href="/sources">Sources</NavLink>
            <NavLink href="/destinations">Destinations</NavLink>
            <NavLink href="/alerts">Alerts</NavLink>
            <NavLink href="/audit">Audit log</NavLink>
            <NavLink href="/system">System</NavLink>
            <NavLink href="/api-reference">API reference</NavLink>
            {isAdmin ? (
              <>
                <p className="px-3 pb-1 pt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Settings</p>
                <NavLink href="/settings/users">Users</NavLink>
                <NavLink href="/settings/api-keys">API keys</NavLink>
                <NavLink href="/settings/notifications">Notifications</NavLink>
              </>
            ) : null}
          </nav>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex items-center gap-3 border-b border-slate-200 bg-white px-4 py-3 xl:px-6">
            <button
              ref={menuButton}
              type="button"
              aria-expanded={open}
              aria-controls="main-nav"
              onClick={() => setOpen((value) => !value)}
              className="inline-flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 xl:hidden"
            >
              <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
                <path
                  fillRule="evenodd"
                  d="M2 4.75A.75.75 0 0 1 2.75 4h14.5a.75.75 0 0 1 0 1.5H2.75A.75.75 0 0 1 2 4.75Zm0 5.25a.75.75 0 0 1 .75-.75h14.5a.75.75 0 0 1 0 1.5H2.75A.75.75 0 0 1 2 10Zm0 5.25a.75.75 0 0 1 .75-.75h14.5a.75.75 0 0 1 0 1.5H2.75a.75.75 0 0 1-.75-.75Z"
                  clipRule="evenodd"
                />
              </svg>
              Menu
            </button>
            <div className="ml-auto flex min-w-0 items-center gap-3">{header}</div>
          </header>
          <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 focus:outline-none xl:px-6 xl:py-8">
            {children}
          </main>
        </div>
      </div>
    </>
  );
}
