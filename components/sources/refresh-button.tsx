'use client';

import { useRouter } from 'next/navigation';
import { useTransition } from 'react';

/** Re-renders the page's server data in place (no full reload, scroll position kept). */
export function RefreshButton({ label = 'Refresh' }: { label?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      onClick={() => startTransition(() => router.refresh())}
      disabled={pending}
      className="inline-flex shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-600 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:opacity-60"
    >
      <svg viewBox="0 0 20 20" fill="currentColor" className={`size-4 ${pending ? 'animate-spin' : ''}`} aria-hidden="true">
        <path
          fillRule="evenodd"
          d="M15.3 11.4a5.5 5.5 0 0 1-9.2 2.5l-.6-.6h2a.75.75 0 0 0 0-1.5H3.8a.75.75 0 0 0-.75.75v3.7a.75.75 0 0 0 1.5 0v-1.9l.5.5a7 7 0 0 0 11.7-3.1.75.75 0 0 0-1.45-.38Zm-10.6-2.8a5.5 5.5 0 0 1 9.2-2.5l.6.6h-2a.75.75 0 0 0 0 1.5h3.7a.75.75 0 0 0 .75-.75V3.8a.75.75 0 0 0-1.5 0v1.9l-.5-.5A7 7 0 0 0 3.25 8.3a.75.75 0 0 0 1.45.38Z"
          clipRule="evenodd"
        />
      </svg>
      {pending ? 'Refreshing…' : label}
    </button>
  );
}
