import type { Metadata } from 'next';
import Link from 'next/link';
import { type EventRowJson, EventsTable } from '@/components/events/events-table';
import { ListFilters } from '@/components/events/list-filters';
import { LocalTime } from '@/components/events/local-time';
import { firstParam, resolveRange } from '@/components/events/time-range';
import { Notice, PageHeader } from '@/components/ui/card';
import { requireSignedIn } from '@/app/_server/page-guard';
import { listEventsQuerySchema } from '@/lib/list-filters/list-filter.schema';
import { listEvents } from '@/lib/events/list-events';
import { listFilterOptions } from '@/lib/deliveries/filter-options';
import { AppError } from '@/lib/http/errors';

export const metadata: Metadata = { title: 'Events' };

const FILTER_KEYS = ['sourceId', 'destinationId', 'status', 'eventType', 'range', 'from', 'to', 'q'] as const;

/**
 * The events explorer. Every filter is a URL search param, so a view can be shared; the list
 * itself is keyset-paginated (lib/events/list-events.ts) and live on its first page.
 */
export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireSignedIn();
  const params = await searchParams;
  const values = Object.fromEntries(FILTER_KEYS.map((key) => [key, firstParam(params[key])]).filter(([, value]) => value)) as Partial<
    Record<(typeof FILTER_KEYS)[number], string>
  >;
  const cursor = firstParam(params.cursor);
  const back = (firstParam(params.back) ?? '').split('.').filter(Boolean);

  // What the API takes: a relative range becomes `from`; the page-only keys stay out.
  const { range: _range, from: _from, to: _to, ...rest } = values;
  const apiFilter = { ...rest, ...resolveRange(values) };
  const apiParams = new URLSearchParams(Object.entries(apiFilter).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const parsed = listEventsQuerySchema.safeParse({ ...Object.fromEntries(apiParams), ...(cursor ? { cursor } : {}) });

  let page: { data: EventRowJson[]; nextCursor: string | null; searchWindow?: { from: string; to: string } } = { data: [], nextCursor: null };
  let problem: string | null = parsed.success ? null : (parsed.error.issues[0]?.message ?? 'These filters are not valid');
  if (parsed.success) {
    try {
      page = JSON.parse(JSON.stringify(await listEvents(parsed.data))) as typeof page;
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      problem = error.message;
    }
  }
  const options = await listFilterOptions();
  const filterQuery = new URLSearchParams(Object.entries(values) as [string, string][]).toString();
  const base = filterQuery ? `/events?${filterQuery}` : '/events';
  const live = !cursor && !problem;

  return (
    <>
      <PageHeader
        title="Events"
        description="Every request a source accepted, newest first, with where each was delivered. New events appear here as they arrive."
      />
      <ListFilters
        key={filterQuery}
        action="/events"
        label="Filter events"
        values={values}
        sources={options.sources}
        destinations={options.destinations}
        fields={{ status: true, eventType: true, q: true }}
      />
      {problem ? (
        <Notice tone="error">
          {problem}.{' '}
          <Link href="/events" className="font-semibold underline">
            Clear filters
          </Link>
        </Notice>
      ) : null}
      {page.searchWindow ? (
        <p className="mb-3 text-xs text-slate-500" data-testid="search-window">
          Text search over events received from <LocalTime value={page.searchWindow.from} /> to <LocalTime value={page.searchWindow.to} />. Set a time range to
          search elsewhere (up to 7 days), or search by <code className="font-mono">path=value</code>, which covers all time.
        </p>
      ) : null}
      {problem ? null : (
        <EventsTable
          key={`${filterQuery}|${cursor ?? ''}`}
          initial={page.data}
          initialNextCursor={page.nextCursor}
          apiQuery={live ? apiParams.toString() : null}
          paging={{ base, cursor, back }}
          filtered={Object.keys(values).length > 0}
          clearHref="/events"
        />
      )}
    </>
  );
}
