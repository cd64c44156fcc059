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
  destinations: { id: string; name: string; status: string; deliveryId: string; heldByCircuit: { nextProbeAt: string } | null }[];
}

/** How often the first page is read again while no event arrives (for the badges of the rows shown). */
const REFRESH_MS = 10_000;
/** After an event arrived through the stream: read the first page again within this long. */
const COALESCE_MS = 1_000;
const RECONNECT_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const HIGHLIGHT_MS = 6_000;
/** The list's page size (DEFAULT_PAGE_SIZE of lib/list-filters, which a client component cannot import). */
const PAGE_SIZE = 50;

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
 * The events list. On the first page it stays live: new events come through the event stream
 * (GET /api/v1/events/stream, docs/event-stream.md) with the page's filters and appear at the top
 * with a brief highlight. Each arrival, coalesced, and otherwise every REFRESH_MS, the first page
 * is fetched again from the JSON API, so the rows and the "Older" cursor stay consistent and the
 * delivery badges of the rows already there move on (pending → succeeded) without a reload.
 * While the tab is hidden the stream is closed; when it shows again the page is fetched and the
 * stream reopened. Older pages are fixed: keyset pages do not shift.
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
  /** Query string of GET /api/v1/events (and of the stream) for this view's first page (`''` when unfiltered, which is still live); null: not live. */
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
  const pageSize = useRef(Math.max(initial.length, PAGE_SIZE));

  const highlight = useCallback((added: string[]) => {
    if (added.length === 0) return;
    setFresh((current) => new Set([...current, ...added]));
    setAnnouncement(`${plural(added.length, 'new event')} at the top of the list`);
    setTimeout(() => setFresh((current) => new Set([...current].filter((id) => !added.includes(id)))), HIGHLIGHT_MS);
  }, []);

  /** The first page again, from the JSON API: false when it could not be read. */
  const refresh = useCallback(async (): Promise<boolean> => {
    if (apiQuery === null) return true;
    const response = await fetch(`/api/v1/events?${apiQuery}`, { cache: 'no-store', headers: { accept: 'application/json' } });
    if (response.status === 401) {
      router.refresh();
      return false;
    }
    if (!response.ok) return false;
    const page = (await response.json()) as { data: EventRowJson[]; nextCursor: string | null };
    const added = page.data.filter((row) => !seen.current.has(row.id)).map((row) => row.id);
    for (const row of page.data) seen.current.add(row.id);
    setRows(page.data);
    setNextCursor(page.nextCursor);
    highlight(added);
    return true;
  }, [apiQuery, router, highlight]);

  useEffect(() => {
    if (apiQuery === null) return;
    let stream: EventSource | null = null;
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    let refreshDueAt = 0;
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    let backoff = RECONNECT_MS;
    let stopped = false;

    const refreshSoon = (delay: number) => {
      if (stopped) return;
      if (refreshTimer) {
        if (refreshDueAt <= Date.now() + delay) return;
        clearTimeout(refreshTimer);
      }
      refreshDueAt = Date.now() + delay;
      refreshTimer = setTimeout(async () => {
        refreshTimer = undefined;
        const ok = await refresh().catch(() => false);
        if (stopped) return;
        if (!ok) setState('error');
        refreshSoon(REFRESH_MS);
      }, delay);
    };

    const connect = () => {
      if (stopped || document.visibilityState === 'hidden') return;
      stream = new EventSource(`/api/v1/events/stream${apiQuery ? `?${apiQuery}` : ''}`);
      stream.onopen = () => {
        backoff = RECONNECT_MS;
        setState('live');
        // What arrived between the page's render (or the last connection) and this one: the
        // stream only sends what commits from now on.
        refreshSoon(0);
      };
      stream.addEventListener('event', (message: MessageEvent<string>) => {
        const row = JSON.parse(message.data) as EventRowJson;
        if (seen.current.has(row.id)) return;
        seen.current.add(row.id);
        setRows((current) => [row, ...current].slice(0, pageSize.current));
        highlight([row.id]);
        // The page's cursor and badges follow from the list, at most once a second in a burst.
        refreshSoon(COALESCE_MS);
      });
      stream.onerror = () => {
        setState('error');
        // EventSource reconnects by itself (with Last-Event-ID) unless the answer was not a stream.
        if (stream?.readyState !== EventSource.CLOSED) return;
        stream = null;
        reconnectTimer = setTimeout(() => {
          reconnectTimer = undefined;
          void refresh()
            .catch(() => false)
            .then(connect);
        }, backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      };
    };

    const disconnect = () => {
      stream?.close();
      stream = null;
      if (refreshTimer) clearTimeout(refreshTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      refreshTimer = reconnectTimer = undefined;
    };

    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        disconnect();
        setState('paused');
      } else if (!stream) {
        connect();
        refreshSoon(0);
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    connect();
    refreshSoon(REFRESH_MS);
    return () => {
      stopped = true;
      disconnect();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [apiQuery, refresh, highlight]);

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
