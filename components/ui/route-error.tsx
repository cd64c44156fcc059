'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { Button } from '@/components/ui/button';

/**
 * The body of an error.tsx: says what failed without internals (production errors from server
 * components carry only a digest), offers a retry, and a way out.
 */
export function RouteError({
  error,
  retry,
  what,
  backHref,
  backLabel,
}: {
  error: unknown;
  retry: () => void;
  what: string;
  backHref: string;
  backLabel: string;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <div role="alert" className="mx-auto mt-12 max-w-lg rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-semibold text-red-700">Something went wrong</p>
      <h1 className="mt-2 text-xl font-semibold text-slate-900">{what} could not be loaded</h1>
      <p className="mt-2 text-sm text-slate-500">
        This is usually brief, for example while the database restarts. Try again; if it keeps happening, the server log has the details
        {digest ? (
          <>
            {' '}
            under <code className="font-mono">{digest}</code>
          </>
        ) : null}
        .
      </p>
      <div className="mt-6 flex justify-center gap-3">
        <Button onClick={() => retry()}>Try again</Button>
        <Link
          href={backHref}
          className="inline-flex items-center rounded-md px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
        >
          {backLabel}
        </Link>
      </div>
    </div>
  );
}
