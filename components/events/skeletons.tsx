/**
 * Placeholders in the shape of the events, event and failed pages, so that nothing jumps when
 * the data arrives. Announced once to screen readers.
 */
function Block({ className = '' }: { className?: string }) {
  return <div className={`animate-pulse rounded-md bg-slate-200/70 ${className}`} />;
}

function Announce({ what }: { what: string }) {
  return (
    <p role="status" className="sr-only">
      Loading {what}…
    </p>
  );
}

function Header() {
  return (
    <div className="mb-6 space-y-2" aria-hidden="true">
      <Block className="h-7 w-48" />
      <Block className="h-4 w-full max-w-xl" />
    </div>
  );
}

function Filters({ fields = 5, tall = false }: { fields?: number; tall?: boolean }) {
  return (
    <div className="mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-hidden="true">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {Array.from({ length: fields }, (_, index) => (
          <div key={index} className={`space-y-2 ${index === 5 ? 'sm:col-span-2 lg:col-span-3' : ''}`}>
            <Block className="h-4 w-24" />
            <Block className="h-9" />
          </div>
        ))}
      </div>
      {tall ? <Block className="mt-2 h-8 max-w-3xl" /> : null}
      <Block className="mt-3 h-9 w-28" />
    </div>
  );
}

export function TableRowsSkeleton({ rows = 8, columns = 5 }: { rows?: number; columns?: number }) {
  return (
    <div aria-hidden="true">
      {Array.from({ length: rows }, (_, row) => (
        <div key={row} className="flex items-center gap-6 border-b border-slate-100 px-5 py-4 last:border-0">
          {Array.from({ length: columns }, (_, column) => (
            <Block key={column} className={`h-4 flex-1 ${column === 0 ? 'max-w-40' : ''}`} />
          ))}
        </div>
      ))}
    </div>
  );
}

export function EventsListSkeleton() {
  return (
    <>
      <Announce what="events" />
      <Header />
      <Filters fields={6} tall />
      <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200" aria-hidden="true">
        <div className="flex justify-between border-b border-slate-200 px-5 py-3">
          <Block className="h-4 w-48" />
          <Block className="h-4 w-12" />
        </div>
        <TableRowsSkeleton rows={10} />
      </div>
    </>
  );
}

function CardSkeleton({ lines = 4, className = '' }: { lines?: number; className?: string }) {
  return (
    <div className={`rounded-lg bg-white shadow-sm ring-1 ring-slate-200 ${className}`} aria-hidden="true">
      <div className="border-b border-slate-200 px-5 py-4">
        <Block className="h-5 w-40" />
      </div>
      <div className="space-y-3 px-5 py-4">
        {Array.from({ length: lines }, (_, index) => (
          <Block key={index} className="h-4" />
        ))}
      </div>
    </div>
  );
}

export function EventDetailSkeleton() {
  return (
    <>
      <Announce what="the event" />
      <Header />
      <div className="grid gap-6 xl:grid-cols-3">
        <div className="space-y-6 xl:col-span-2">
          <CardSkeleton lines={6} />
          <CardSkeleton lines={8} />
        </div>
        <div className="space-y-6">
          <CardSkeleton lines={5} />
          <CardSkeleton lines={6} />
        </div>
      </div>
    </>
  );
}

export function FailedQueueSkeleton() {
  return (
    <>
      <Announce what="failed deliveries" />
      <Header />
      <Filters fields={3} />
      <div className="mb-4 grid gap-3 sm:grid-cols-3" aria-hidden="true">
        {Array.from({ length: 3 }, (_, index) => (
          <div key={index} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <Block className="h-4 w-24" />
            <Block className="mt-2 h-7 w-16" />
          </div>
        ))}
      </div>
      <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200" aria-hidden="true">
        <TableRowsSkeleton rows={5} columns={4} />
      </div>
    </>
  );
}
