'use client';

import Link from 'next/link';
import { useEffect } from 'react';

/**
 * A page of the dashboard failed to render. The message stays generic (the server logs the cause
 * with this digest); "Try again" re-fetches the page, which is enough after a brief database blip.
 */
export default function DashboardError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && 'digest' in error ? String((error as Error & { digest?: string }).digest ?? '') : '';
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto mt-16 max-w-md rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-semibold text-red-700">Something went wrong</p>
      <h1 className="mt-2 text-xl font-semibold text-slate-900">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-slate-500">
        It may be a brief hiccup, such as the database restarting. Try again; if it keeps happening, the server log has the details
        {digest ? (
          <>
            {' '}
            under reference <code className="rounded bg-slate-100 px-1 font-mono text-xs">{digest}</code>
          </>
        ) : null}
        .
      </p>
      <div className="mt-6 flex items-center justify-center gap-3">
        <button
          type="button"
          onClick={() => retry()}
          className="inline-flex items-center justify-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Try again
        </button>
        <Link href="/" className="rounded-md px-3 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100">
          Go to the overview
        </Link>
      </div>
    </div>
  );
}
