'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ShortId } from '@/components/ids/short-id';
import { EmptyState } from '@/components/ui/empty-state';
import { DeliverySummary } from './delivery-status';
import { formatBytes, plural } from './format';
import { LocalTime } from './local-time';

/** An events-list row as the JSON API sends it (lib/events/list-events.ts, dates as ISO text). */
export interface EventRowJson {
  id: string;
  source: { id: string; slug: string; name: string };
  eventType: string | null;
  dedupKey: string | null;
  receivedAt: string;
  size: number;
  contentType: string | null;
  verification: 'verified' | 'unverified';
  deliveries: { total: number; byStatus: Partial<Record<string, number>> };
  destinations: { id: string; name: string; status: string; deliveryId: string }[];
}

const POLL_MS = 2_000;
const HIGHLIGHT_MS = 6_000;
const MAX_BACKOFF_MS = 30_000;

export interface Paging {
  /** The list's path with its filters, without paging: /events?sourceId=… */
  base: string;
  /** The cursor of this page (absent on the first) and of the pages before it, oldest first. */
  cursor?: string;
  back: string[];
}

/** Keyset pages both ways: "Older" adds this page's cursor to the trail, "Newer" takes the last one off. */
function pageHref(base: string, cursor: string | undefined, back: string[]): string {
  const url = new URL(base, 'http://x');
  if (cursor) url.searchParams.set('cursor', cursor);
  if (back.length > 0) url.searchParams.set('back', back.join('.'));
  return `${url.pathname}${url.search}`;
}

/** How many earlier cursors the URL keeps; beyond that "Newer" skips to the newest page. */
const MAX_TRAIL = 30;

export function olderHref(paging: Paging, nextCursor: string): string {
  const back = paging.cursor ? [...paging.back, paging.cursor].slice(-MAX_TRAIL) : paging.back;
  return pageHref(paging.base, nextCursor, back);
}

export function newerHref(paging: Paging): string | null {
  if (!paging.cursor) return null;
  return pageHref(paging.base, paging.back[paging.back.length - 1], paging.back.slice(0, -1));
}

/**
 * The events list. On the first page it stays live: every two seconds (while the tab is visible)
 * it fetches the first page again with the same filters from the JSON API, so new events appear
 * at the top with a brief highlight and the delivery badges of the rows already there move on
 * (pending → succeeded) without a reload. Older pages are fixed: keyset pages do not shift.
 */
export function EventsTable({
  initial,
  initialNextCursor,
  apiQuery,
  paging,
  filtered,
  clearHref,
}: {
  initial: EventRowJson[];
  initialNextCursor: string | null;
  /** Query string of GET /api/v1/events for this view's first page (`''` when unfiltered, which is still live); null turns polling off. */
  apiQuery: string | null;
  paging: Paging;
  filtered: boolean;
  clearHref: string;
}) {
  const router = useRouter();
  const [rows, setRows] = useState(initial);
  const [nextCursor, setNextCursor] = useState(initialNextCursor);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(() => new Set());
  const [announcement, setAnnouncement] = useState('');
  const [state, setState] = useState<'live' | 'paused' | 'error'>(apiQuery !== null ? 'live' : 'paused');
  const seen = useRef(new Set(initial.map((row) => row.id)));

  const poll = useCallback(async (): Promise<boolean> => {
    if (apiQuery === null) return true;
    const response = await fetch(`/api/v1/events?${apiQuery}`, { cache: 'no-store', headers: { accept: 'application/json' } });
    if (response.status === 401) {
      router.refresh();
      return false;
    }
    if (!response.ok) return false;
    const page = (await response.json()) as { data: EventRowJson[]; nextCursor: string | null };
    const added = page.data.filter((row) => !seen.current.has(row.id));
    for (const row of page.data) seen.current.add(row.id);
    setRows(page.data);
    setNextCursor(page.nextCursor);
    if (added.length > 0) {
      const ids = added.map((row) => row.id);
      setFresh((current) => new Set([...current, ...ids]));
      setAnnouncement(`${plural(added.length, 'new event')} at the top of the list`);
      setTimeout(() => setFresh((current) => new Set([...current].filter((id) => !ids.includes(id)))), HIGHLIGHT_MS);
    }
    return true;
  }, [apiQuery, router]);

  useEffect(() => {
    if (apiQuery === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let delay = POLL_MS;
    const schedule = () => {
      if (stopped || document.visibilityState === 'hidden') return;
      timer = setTimeout(tick, delay);
    };
    const tick = async () => {
      timer = undefined;
      let ok = false;
      try {
        ok = await poll();
      } catch {
        ok = false;
      }
      if (stopped) return;
      delay = ok ? POLL_MS : Math.min(delay * 2, MAX_BACKOFF_MS);
      setState(ok ? 'live' : 'error');
      schedule();
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        if (timer) clearTimeout(timer);
        timer = undefined;
        setState('paused');
      } else if (!timer) {
        delay = POLL_MS;
        void tick();
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    schedule();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [apiQuery, poll]);

  const newer = newerHref(paging);
  const older = nextCursor ? olderHref(paging, nextCursor) : null;
  const link =
    'inline-flex items-center gap-1 rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-700 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600';

  return (
    <section aria-label="Events" className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <p className="text-sm text-slate-600">
          {paging.cursor ? 'Older events' : 'Newest first'} · {plural(rows.length, 'event')} on this page
        </p>
        <LiveIndicator state={apiQuery !== null ? state : null} />
      </div>
      <p role="status" aria-live="polite" className="sr-only">
        {announcement}
      </p>
      {rows.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No events match these filters"
            description={
              apiQuery !== null
                ? 'New matching events will appear here as they arrive. Widen the time range, or clear the filters to see everything.'
                : 'Nothing older matches. Go back to the newest events, or clear the filters.'
            }
            action={
              <Link href={clearHref} className="text-sm font-semibold text-indigo-700 hover:underline">
                Clear filters
              </Link>
            }
          />
        ) : (
          <EmptyState
            icon="send"
            title="No events yet"
            description="Events appear here the moment a provider posts to a source's ingest URL. Create a source, give its URL to the provider, or send a test event from the source's page."
            action={
              <Link href="/sources" className="text-sm font-semibold text-indigo-700 hover:underline">
                Go to sources →
              </Link>
            }
          />
        )
      ) : (
        <div className="overflow-x-auto">
          {/* Fits the 992 px a 1024 px screen leaves (the sidebar folds away below 1280 px): the
              event type gets what the fixed columns leave, and long types and names wrap rather
              than being cut to an ellipsis. */}
          <table className="w-full min-w-[720px] table-fixed text-sm">
            <caption className="sr-only">Events, newest first. Open one to see its body, headers and deliveries.</caption>
            <colgroup>
              <col className="w-44" />
              <col />
              <col className="w-40" />
              <col className="w-52" />
              <col className="w-20" />
            </colgroup>
            <thead className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">
                  Received
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Event type
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Source
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Deliveries
                </th>
                <th scope="col" className="px-5 py-2 text-right font-medium">
                  Size
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr
                  key={row.id}
                  data-testid="event-row"
                  data-event-id={row.id}
                  onClick={(event) => {
                    if ((event.target as HTMLElement).closest('a, button')) return;
                    router.push(`/events/${row.id}`);
                  }}
                  className={`cursor-pointer transition-colors duration-1000 hover:bg-slate-50 ${fresh.has(row.id) ? 'bg-indigo-50' : ''}`}
                >
                  <td className="px-5 py-2.5 align-top text-slate-700">
                    <LocalTime value={row.receivedAt} relative="below" />
                  </td>
                  <td className="px-3 py-2.5 align-top">
                    <Link
                      href={`/events/${row.id}`}
                      className="block break-all font-mono text-[13px] font-medium text-slate-900 hover:text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                      title={row.eventType ?? 'No event type'}
                    >
                      {row.eventType ?? <span className="font-sans italic text-slate-500">no type</span>}
                    </Link>
                    <span className="mt-0.5 flex items-center gap-1.5 text-xs text-slate-500">
                      {fresh.has(row.id) ? <span className="font-semibold text-indigo-700">New</span> : null}
                      <ShortId id={row.id} providerId={row.dedupKey} />
                      {row.verification === 'unverified' ? <span title="The source does not verify requests">· unverified</span> : null}
                    </span>
                  </td>
                  <td className="break-words px-3 py-2.5 align-top text-slate-700" title={row.source.slug}>
                    {row.source.name}
                  </td>
                  <td className="px-3 py-2.5 align-top">
                    <DeliverySummary destinations={row.destinations} />
                  </td>
                  <td className="px-5 py-2.5 text-right align-top tabular-nums text-slate-600">{formatBytes(row.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {newer || older ? (
        <nav aria-label="Event pages" className="flex items-center justify-between gap-3 border-t border-slate-200 px-5 py-3">
          <div className="flex gap-2">
            {newer !== null ? (
              <>
                <Link href={paging.base} className={link}>
                  ⇤ Newest
                </Link>
                <Link href={newer} className={link} rel="prev">
                  ← Newer
                </Link>
              </>
            ) : null}
          </div>
          {older ? (
            <Link href={older} className={link} rel="next">
              Older →
            </Link>
          ) : (
            <span className="text-sm text-slate-500">No older events</span>
          )}
        </nav>
      ) : null}
    </section>
  );
}

function LiveIndicator({ state }: { state: 'live' | 'paused' | 'error' | null }) {
  if (state === null) return <span className="text-xs text-slate-500">Not live: older page</span>;
  const text = { live: 'Live', paused: 'Paused while the tab is hidden', error: 'Reconnecting…' }[state];
  const dot = { live: 'bg-emerald-500', paused: 'bg-slate-400', error: 'bg-amber-500' }[state];
  return (
    <span className="inline-flex items-center gap-2 text-xs font-medium text-slate-600" data-testid="live-indicator" data-state={state}>
      <span className="relative flex size-2">
        {state === 'live' ? <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-60" /> : null}
        <span className={`relative inline-flex size-2 rounded-full ${dot}`} />
      </span>
      {text}
    </span>
  );
}
