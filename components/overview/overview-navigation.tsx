'use client';

import { useRouter } from 'next/navigation';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useTransition } from 'react';

interface Navigation {
  pending: boolean;
  navigate: (href: string) => void;
}

const NavigationContext = createContext<Navigation>({ pending: false, navigate: () => undefined });

/**
 * Range and filter changes are navigations (the state lives in the URL). They run in a transition,
 * so the current charts stay in place, dimmed, until the new ones are ready: no blank flash and
 * no layout shift.
 */
export function OverviewNavigation({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const navigate = useCallback((href: string) => startTransition(() => router.push(href, { scroll: false })), [router]);
  const value = useMemo(() => ({ pending, navigate }), [pending, navigate]);
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export const useOverviewNavigation = () => useContext(NavigationContext);

/** The part of the page that dims while new data loads. */
export function PendingRegion({ children }: { children: ReactNode }) {
  const { pending } = useOverviewNavigation();
  return (
    <div aria-busy={pending} className={`transition-opacity duration-150 ${pending ? 'opacity-60' : 'opacity-100'}`}>
      {children}
    </div>
  );
}
