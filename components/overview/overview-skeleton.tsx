/** Placeholder boxes with the overview's own sizes, so the page does not jump when data arrives. */
function Block({ className = '' }: { className?: string }) {
  return <div aria-hidden className={`animate-pulse rounded bg-slate-200/70 ${className}`} />;
}

function PanelSkeleton() {
  return (
    <div className="min-h-56 rounded-lg bg-white px-5 py-4 shadow-sm ring-1 ring-slate-200">
      <Block className="h-4 w-32" />
      <Block className="mt-5 h-8 w-24" />
      <Block className="mt-3 h-3 w-40" />
      <Block className="mt-3 h-3 w-32" />
    </div>
  );
}

function ChartSkeleton({ height }: { height: number }) {
  return (
    <div className="rounded-lg bg-white px-5 pb-3 pt-4 shadow-sm ring-1 ring-slate-200">
      <Block className="h-4 w-28" />
      <Block className="mt-2 h-7 w-20" />
      <Block className="mt-4 w-full" />
      <div aria-hidden className="mt-2 animate-pulse rounded-md bg-slate-50" style={{ height }} />
    </div>
  );
}

export function OverviewSkeleton() {
  return (
    <div role="status" aria-label="Loading the overview">
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <Block className="h-7 w-36" />
          <Block className="mt-2 h-4 w-80" />
        </div>
        <div className="flex gap-3">
          <Block className="h-8 w-64" />
          <Block className="h-8 w-44" />
        </div>
      </div>
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        <PanelSkeleton />
        <PanelSkeleton />
        <div className="md:col-span-2 xl:col-span-1">
          <PanelSkeleton />
        </div>
      </div>
      <div className="mt-4 grid gap-4 xl:grid-cols-2">
        <div className="xl:col-span-2">
          <ChartSkeleton height={220} />
        </div>
        <ChartSkeleton height={200} />
        <ChartSkeleton height={200} />
        <ChartSkeleton height={200} />
        <ChartSkeleton height={200} />
      </div>
      <span className="sr-only">Loading…</span>
    </div>
  );
}

/** A page title and a table of rows: the alerts and audit pages while they load. */
export function TableSkeleton({ label, rows = 8, withFilters = false }: { label: string; rows?: number; withFilters?: boolean }) {
  return (
    <div role="status" aria-label={label}>
      <div className="mb-6">
        <Block className="h-7 w-36" />
        <Block className="mt-2 h-4 w-96 max-w-full" />
      </div>
      {withFilters ? <Block className="mb-4 h-24 w-full rounded-lg" /> : <Block className="mb-4 h-9 w-96 max-w-full rounded-md" />}
      <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex items-center gap-4 border-b border-slate-100 px-5 py-4 last:border-0">
            <Block className="h-4 w-28" />
            <Block className="h-4 flex-1" />
            <Block className="h-4 w-24" />
          </div>
        ))}
      </div>
      <span className="sr-only">Loading…</span>
    </div>
  );
}
