import Link from 'next/link';

/** Keyset pages only go forward; "Newest" starts over. The browser's Back button goes back a page. */
export function Pager({ firstHref, nextHref, isFirst, label }: { firstHref: string; nextHref: string | null; isFirst: boolean; label: string }) {
  if (isFirst && !nextHref) return null;
  const link =
    'rounded-md px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600';
  return (
    <nav aria-label={label} className="mt-4 flex items-center justify-between">
      {isFirst ? (
        <span />
      ) : (
        <Link href={firstHref} className={link}>
          ← Newest
        </Link>
      )}
      {nextHref ? (
        <Link href={nextHref} className={link} rel="next">
          Older →
        </Link>
      ) : (
        <span className="text-sm text-slate-500">No older entries</span>
      )}
    </nav>
  );
}
