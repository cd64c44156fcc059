/** Grey placeholders in the shape of what is loading, so nothing jumps when it arrives. */
export function SkeletonBlock({ className = '' }: { className?: string }) {
  return <div className={`animate-pulse rounded-md bg-slate-200/70 ${className}`} />;
}

export function PageHeaderSkeleton({ withAction = true }: { withAction?: boolean }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4" aria-hidden="true">
      <div className="space-y-2">
        <SkeletonBlock className="h-7 w-40" />
        <SkeletonBlock className="h-4 w-80" />
      </div>
      {withAction ? <SkeletonBlock className="h-9 w-28" /> : null}
    </div>
  );
}

export function TableSkeleton({ rows = 5, columns = 5 }: { rows?: number; columns?: number }) {
  return (
    <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200" aria-hidden="true">
      <div className="flex gap-6 border-b border-slate-200 px-5 py-3">
        {Array.from({ length: columns }, (_, index) => (
          <SkeletonBlock key={index} className="h-3 flex-1" />
        ))}
      </div>
      {Array.from({ length: rows }, (_, row) => (
        <div key={row} className="flex items-center gap-6 border-b border-slate-100 px-5 py-4 last:border-0">
          {Array.from({ length: columns }, (_, column) => (
            <SkeletonBlock key={column} className={`h-4 flex-1 ${column === 0 ? 'max-w-48' : ''}`} />
          ))}
        </div>
      ))}
    </div>
  );
}

export function CardSkeleton({ lines = 3, className = '' }: { lines?: number; className?: string }) {
  return (
    <div className={`rounded-lg bg-white shadow-sm ring-1 ring-slate-200 ${className}`} aria-hidden="true">
      <div className="border-b border-slate-200 px-5 py-4">
        <SkeletonBlock className="h-5 w-32" />
      </div>
      <div className="space-y-3 px-5 py-4">
        {Array.from({ length: lines }, (_, index) => (
          <SkeletonBlock key={index} className="h-4" />
        ))}
      </div>
    </div>
  );
}

/** What a loading page announces to screen readers. */
export function LoadingAnnouncement({ what }: { what: string }) {
  return (
    <p role="status" className="sr-only">
      Loading {what}…
    </p>
  );
}
