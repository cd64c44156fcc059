'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useId, useMemo, useRef, useState, useTransition } from 'react';
import { formatCount, plural } from '@/components/events/format';
import { LocalTime } from '@/components/events/local-time';
import { GatedButton } from '@/components/events/replay-controls';
import { ShortId } from '@/components/ids/short-id';
import { shortIdText } from '@/components/ids/short-id-text';
import { Button } from '@/components/ui/button';
import { Badge } from '@/components/ui/card';
import { Dialog } from '@/components/ui/dialog';
import { errorKindLabel, errorMessageOf, failureTitle } from '@/lib/failed/error-label';
import { ReplayProgress } from './replay-progress';

type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export interface GroupKey {
  destinationId: string;
  errorKind: string;
  statusCode: number | null;
  messagePrefix: string | null;
}

export interface GroupJson {
  key: GroupKey;
  destination: { id: string; name: string; status: string };
  count: number;
  sourceCount: number;
  latestAt: string;
  firstAt: string;
  sampleError: string | null;
}

export interface QueueFilter {
  sourceId?: string;
  destinationId?: string;
  from?: string;
  to?: string;
}

interface GroupDelivery {
  id: string;
  eventId: string;
  eventDedupKey: string | null;
  eventType: string | null;
  source: { id: string; name: string };
  createdAt: string;
  failedAt: string;
  attemptCount: number;
  lastError: string | null;
  lastStatusCode: number | null;
  replayOfId: string | null;
}

export interface QueueActions {
  list: (input: { key: GroupKey; filter: QueueFilter; cursor?: string }) => Promise<ActionResult<{ data: GroupDelivery[]; nextCursor: string | null }>>;
  count: (input: { filter: QueueFilter }) => Promise<ActionResult<{ count: number }>>;
  start: (input: { filter: QueueFilter; ratePerSecond: number }) => Promise<ActionResult<{ id: string; count: number }>>;
  replaySelected: (input: { deliveryIds: string[] }) => Promise<
    ActionResult<{ replayed: { deliveryId: string; newDeliveryId: string; eventId: string }[]; skipped: { deliveryId: string; reason: string }[] }>
  >;
  cancel: (input: { id: string }) => Promise<ActionResult<{ status: string; cancelledDeliveries: number }>>;
}

const MAX_SELECTION = 200;
const RATES = [10, 50, 200, 1000];
const NEEDS_SUPPORT = 'Replaying needs the SUPPORT or ADMIN role. You can look, but not send again; ask an admin if you need it.';

const groupId = (key: GroupKey) => `${key.destinationId}|${key.errorKind}|${key.statusCode ?? ''}|${key.messagePrefix ?? ''}`;

/**
 * The failed-deliveries queue: groups (destination × how it failed) with counts, each opening
 * onto its deliveries (keyset pages of 25). SUPPORT and ADMIN select deliveries, or take
 * everything the filters match, and replay: a dialog states the count first (a dry run for the
 * filter case), then a bulk replay's progress shows here until it settles, with Cancel.
 */
export function FailedQueue({
  groups,
  total,
  filter,
  filterSummary,
  canAct,
  replayId,
  actions,
}: {
  groups: GroupJson[];
  total: number;
  filter: QueueFilter;
  /** "to Billing API, from Stripe, created in the last 24 hours": what the filter means, in words. */
  filterSummary: string;
  canAct: boolean;
  replayId: string | null;
  actions: QueueActions;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [selected, setSelected] = useState<ReadonlyMap<string, { group: string }>>(() => new Map());
  const [dialog, setDialog] = useState<null | 'all' | 'selected'>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  // Rows leave the queue once replayed; drop them from the selection too.
  const [version, setVersion] = useState(0);

  const setReplayParam = (id: string | null) => {
    const params = new URLSearchParams(searchParams.toString());
    if (id) params.set('replay', id);
    else params.delete('replay');
    const query = params.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };

  const toggle = (ids: string[], group: string, on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      for (const id of ids) {
        if (on && next.size < MAX_SELECTION) next.set(id, { group });
        if (!on) next.delete(id);
      }
      return next;
    });

  return (
    <>
      {replayId ? <ReplayProgress key={replayId} replayId={replayId} canCancel={canAct} cancel={actions.cancel} onDismiss={() => setReplayParam(null)} /> : null}

      {groups.length > 0 ? (
        <div className="sticky top-0 z-10 mb-3 flex flex-wrap items-center justify-between gap-3 rounded-lg bg-white/95 px-4 py-3 shadow-sm ring-1 ring-slate-200 backdrop-blur">
          <p className="text-sm text-slate-600" aria-live="polite">
            {canAct ? (
              selected.size > 0 ? (
                <>
                  <span className="font-semibold text-slate-900">{plural(selected.size, 'delivery', 'deliveries')}</span> selected
                  {selected.size >= MAX_SELECTION ? ` (the most at once; for more, replay everything that matches)` : ''} ·{' '}
                  <button type="button" className="font-medium text-indigo-700 hover:underline" onClick={() => setSelected(new Map())}>
                    Clear selection
                  </button>
                </>
              ) : (
                'Open a group to pick deliveries, or replay everything that matches the filters.'
              )
            ) : (
              <>Read-only: you can see the queue; replaying needs the SUPPORT or ADMIN role.</>
            )}
          </p>
          <div className="flex flex-wrap gap-2">
            {canAct && selected.size > 0 ? (
              <Button variant="secondary" onClick={() => setDialog('selected')}>
                Replay {formatCount(selected.size)} selected
              </Button>
            ) : null}
            <GatedButton allowed={canAct} reason={NEEDS_SUPPORT} onClick={() => setDialog('all')} disabled={total === 0}>
              Replay all {formatCount(total)} that match
            </GatedButton>
          </div>
        </div>
      ) : null}

      {notice ? (
        <div
          role={notice.tone === 'error' ? 'alert' : 'status'}
          className={`mb-3 flex items-start justify-between gap-3 rounded-md px-4 py-3 text-sm ring-1 ring-inset ${
            notice.tone === 'error' ? 'bg-red-50 text-red-800 ring-red-200' : 'bg-emerald-50 text-emerald-900 ring-emerald-200'
          }`}
          data-testid="queue-notice"
        >
          <span>{notice.text}</span>
          <button type="button" onClick={() => setNotice(null)} className="shrink-0 text-xs font-semibold underline" aria-label="Dismiss">
            Dismiss
          </button>
        </div>
      ) : null}

      <ul className="space-y-3" aria-label="Failed delivery groups">
        {groups.map((group) => (
          <GroupRow
            key={`${groupId(group.key)}|${version}`}
            group={group}
            filter={filter}
            canAct={canAct}
            selected={selected}
            onToggle={toggle}
            list={actions.list}
          />
        ))}
      </ul>

      {dialog === 'all' ? (
        <ReplayAllDialog
          filter={filter}
          filterSummary={filterSummary}
          count={actions.count}
          start={actions.start}
          onClose={() => setDialog(null)}
          onStarted={(id) => {
            setDialog(null);
            setSelected(new Map());
            setReplayParam(id);
          }}
        />
      ) : null}
      {dialog === 'selected' ? (
        <ReplaySelectedDialog
          ids={[...selected.keys()]}
          groups={new Set([...selected.values()].map((entry) => entry.group)).size}
          replaySelected={actions.replaySelected}
          onClose={() => setDialog(null)}
          onDone={(text, tone) => {
            setDialog(null);
            setSelected(new Map());
            setNotice({ tone, text });
            setVersion((value) => value + 1);
            router.refresh();
          }}
        />
      ) : null}
    </>
  );
}

function GroupRow({
  group,
  filter,
  canAct,
  selected,
  onToggle,
  list,
}: {
  group: GroupJson;
  filter: QueueFilter;
  canAct: boolean;
  selected: ReadonlyMap<string, { group: string }>;
  onToggle: (ids: string[], group: string, on: boolean) => void;
  list: QueueActions['list'];
}) {
  const id = useId();
  const key = groupId(group.key);
  const [open, setOpen] = useState(false);
  const [rows, setRows] = useState<GroupDelivery[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, startLoading] = useTransition();
  const message = group.key.statusCode === null ? (group.key.messagePrefix ?? errorMessageOf(group.sampleError)) : null;

  const load = (cursor?: string) =>
    startLoading(async () => {
      const answer = await list({ key: group.key, filter, cursor });
      if (!answer.ok) {
        setError(answer.error.message);
        return;
      }
      setError(null);
      setRows((current) => (cursor && current ? [...current, ...answer.data.data] : answer.data.data));
      setNextCursor(answer.data.nextCursor);
    });

  const expand = () => {
    const next = !open;
    setOpen(next);
    if (next && rows === null) load();
  };

  const shownIds = rows?.map((row) => row.id) ?? [];
  const selectedHere = shownIds.filter((rowId) => selected.has(rowId)).length;
  const allHere = shownIds.length > 0 && selectedHere === shownIds.length;

  return (
    <li className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="failed-group" data-destination={group.destination.name} data-count={group.count}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <button
          type="button"
          onClick={expand}
          aria-expanded={open}
          aria-controls={`${id}-rows`}
          className="flex min-w-0 flex-1 items-start gap-3 rounded-md text-left focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-600"
        >
          <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className={`mt-0.5 size-5 shrink-0 text-slate-500 transition-transform ${open ? 'rotate-90' : ''}`}>
            <path fillRule="evenodd" d="M7.2 14.8a.75.75 0 0 1 0-1.06L10.94 10 7.2 6.26a.75.75 0 1 1 1.06-1.06l4.27 4.27a.75.75 0 0 1 0 1.06l-4.27 4.27a.75.75 0 0 1-1.06 0Z" clipRule="evenodd" />
          </svg>
          <span className="min-w-0">
            <span className="flex flex-wrap items-center gap-2">
              <span className="font-semibold text-slate-900">{group.destination.name}</span>
              <Badge tone="red">{failureTitle(group.key)}</Badge>
              {group.key.statusCode !== null ? null : <span className="text-xs text-slate-500">{errorKindLabel(group.key.errorKind)}</span>}
              {group.destination.status !== 'active' ? <Badge tone="amber">Destination {group.destination.status}</Badge> : null}
            </span>
            {message ? (
              <span className="mt-0.5 block truncate font-mono text-xs text-slate-500" title={errorMessageOf(group.sampleError) ?? message}>
                {message}
              </span>
            ) : null}
          </span>
        </button>
        <dl className="flex shrink-0 items-center gap-6 text-right">
          <div>
            <dt className="text-xs text-slate-500">Deliveries</dt>
            <dd className="text-lg font-semibold tabular-nums text-slate-900" data-testid="group-count">
              {formatCount(group.count)}
            </dd>
          </div>
          <div className="w-48">
            <dt className="text-xs text-slate-500">Latest failure</dt>
            <dd className="text-sm text-slate-700">
              <LocalTime value={group.latestAt} relative="below" />
            </dd>
          </div>
        </dl>
      </div>
      {open ? (
        <div id={`${id}-rows`} className="border-t border-slate-200">
          {error ? (
            <p role="alert" className="px-4 py-3 text-sm text-red-700">
              {error}
            </p>
          ) : null}
          {rows === null ? (
            <p className="px-4 py-3 text-sm text-slate-500" role="status">
              Loading deliveries…
            </p>
          ) : rows.length === 0 ? (
            <p className="px-4 py-3 text-sm text-slate-500">None left: they were replayed or retried since the page loaded.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[720px] table-fixed text-sm">
                <caption className="sr-only">
                  Failed deliveries to {group.destination.name}: {failureTitle(group.key)}
                </caption>
                <colgroup>
                  {canAct ? <col className="w-12" /> : null}
                  <col />
                  <col className="w-48" />
                  <col className="w-52" />
                  <col className="w-24" />
                </colgroup>
                <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    {canAct ? (
                      <th scope="col" className="px-4 py-2">
                        <input
                          type="checkbox"
                          checked={allHere}
                          ref={(input) => {
                            if (input) input.indeterminate = selectedHere > 0 && !allHere;
                          }}
                          onChange={(event) => onToggle(shownIds, key, event.target.checked)}
                          aria-label={`Select all ${shownIds.length} shown deliveries to ${group.destination.name}`}
                          className="size-4 rounded border-slate-300 text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
                        />
                      </th>
                    ) : null}
                    <th scope="col" className="px-3 py-2 font-medium">
                      Event
                    </th>
                    <th scope="col" className="px-3 py-2 font-medium">
                      Source
                    </th>
                    <th scope="col" className="px-3 py-2 font-medium">
                      Failed
                    </th>
                    <th scope="col" className="px-4 py-2 text-right font-medium">
                      Attempts
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rows.map((row) => (
                    <tr key={row.id} data-testid="failed-delivery" data-event-id={row.eventId} className={selected.has(row.id) ? 'bg-indigo-50/60' : ''}>
                      {canAct ? (
                        <td className="px-4 py-2">
                          <input
                            type="checkbox"
                            checked={selected.has(row.id)}
                            onChange={(event) => onToggle([row.id], key, event.target.checked)}
                            aria-label={`Select the delivery of ${row.eventType ?? 'event'} ${shortIdText(row.eventId, row.eventDedupKey)}`}
                            className="size-4 rounded border-slate-300 text-indigo-600"
                          />
                        </td>
                      ) : null}
                      <td className="px-3 py-2">
                        <Link href={`/events/${row.eventId}#delivery-${row.id}`} className="block break-all font-mono text-[13px] font-medium text-slate-900 hover:text-indigo-700 hover:underline">
                          {row.eventType ?? 'no type'}
                        </Link>
                        <span className="flex flex-wrap items-center gap-x-1 text-xs text-slate-500">
                          <ShortId id={row.eventId} providerId={row.eventDedupKey} />
                          {row.replayOfId ? ' · a replay that failed again' : ''}
                        </span>
                      </td>
                      <td className="break-words px-3 py-2 text-slate-700">{row.source.name}</td>
                      <td className="px-3 py-2 text-slate-700">
                        <LocalTime value={row.failedAt} relative="below" />
                      </td>
                      <td className="px-4 py-2 text-right tabular-nums text-slate-700">{formatCount(row.attemptCount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {rows && (nextCursor || rows.length < group.count) ? (
            <div className="flex items-center justify-between gap-3 border-t border-slate-100 px-4 py-2 text-xs text-slate-500">
              <span>
                Showing {formatCount(rows.length)} of {formatCount(group.count)}
              </span>
              {nextCursor ? (
                <Button variant="secondary" className="px-2.5 py-1.5 text-xs" onClick={() => load(nextCursor)} disabled={loading}>
                  {loading ? 'Loading…' : 'Load older'}
                </Button>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function ReplayAllDialog({
  filter,
  filterSummary,
  count,
  start,
  onClose,
  onStarted,
}: {
  filter: QueueFilter;
  filterSummary: string;
  count: QueueActions['count'];
  start: QueueActions['start'];
  onClose: () => void;
  onStarted: (id: string) => void;
}) {
  const [matched, setMatched] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rate, setRate] = useState(50);
  const [pending, startTransition] = useTransition();
  const asked = useRef(false);
  const rateId = useId();

  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    void count({ filter }).then((answer) => {
      if (answer.ok) setMatched(answer.data.count);
      else setError(answer.error.message);
    });
  }, [count, filter]);

  const seconds = matched ? Math.ceil(matched / rate) : 0;
  const confirm = () =>
    startTransition(async () => {
      const answer = await start({ filter, ratePerSecond: rate });
      if (answer.ok) onStarted(answer.data.id);
      else setError(answer.error.message);
    });

  return (
    <Dialog
      open
      onClose={onClose}
      title="Replay everything that matches"
      description={`Failed deliveries ${filterSummary}.`}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button onClick={confirm} disabled={pending || !matched}>
            {pending ? 'Starting…' : matched ? `Replay ${plural(matched, 'delivery', 'deliveries')}` : 'Replay'}
          </Button>
        </>
      }
    >
      <p className="text-sm text-slate-700" data-testid="replay-count" aria-live="polite">
        {matched === null && !error ? (
          'Counting…'
        ) : matched === 0 ? (
          'Nothing matches any more: they were replayed or retried meanwhile.'
        ) : matched !== null ? (
          <>
            <span className="text-2xl font-semibold tabular-nums text-slate-900">{formatCount(matched)}</span>{' '}
            {matched === 1 ? 'delivery' : 'deliveries'} will be sent again, each as a new delivery to the same destination. The failed ones stay in their events&apos;
            history.
          </>
        ) : null}
      </p>
      <div>
        <label htmlFor={rateId} className="mb-1 block text-sm font-medium text-slate-700">
          Pace
        </label>
        <select
          id={rateId}
          value={rate}
          onChange={(event) => setRate(Number(event.target.value))}
          className="block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600"
        >
          {RATES.map((value) => (
            <option key={value} value={value}>
              Up to {formatCount(value)} per second{value === 50 ? ' (default)' : ''}
            </option>
          ))}
        </select>
        <p className="mt-1 text-xs text-slate-500">
          Throttled, and slowed further when a destination falls behind, so live events keep flowing.
          {matched && seconds > 5 ? ` About ${seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`} at this pace.` : ''} You can cancel while it runs.
        </p>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}

function ReplaySelectedDialog({
  ids,
  groups,
  replaySelected,
  onClose,
  onDone,
}: {
  ids: string[];
  groups: number;
  replaySelected: QueueActions['replaySelected'];
  onClose: () => void;
  onDone: (text: string, tone: 'success' | 'error') => void;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const summary = useMemo(() => `${plural(ids.length, 'delivery', 'deliveries')}${groups > 1 ? ` in ${groups} groups` : ''}`, [ids.length, groups]);
  const confirm = () =>
    startTransition(async () => {
      const answer = await replaySelected({ deliveryIds: ids });
      if (!answer.ok) {
        setError(answer.error.message);
        return;
      }
      const { replayed, skipped } = answer.data;
      const reasons = [...new Set(skipped.map((entry) => entry.reason))].join('; ');
      onDone(
        `${plural(replayed.length, 'delivery', 'deliveries')} sent again${skipped.length ? `; ${formatCount(skipped.length)} skipped (${reasons})` : ''}. They leave the queue; a replay that fails again comes back here.`,
        replayed.length === 0 && skipped.length > 0 ? 'error' : 'success',
      );
    });
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Replay ${summary}?`}
      description="Each is sent again now as a new delivery to its destination, with a fresh retry schedule. Rows someone else replayed meanwhile are skipped."
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button onClick={confirm} disabled={pending}>
            {pending ? 'Replaying…' : `Replay ${summary}`}
          </Button>
        </>
      }
    >
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : (
        <p className="text-sm text-slate-700" data-testid="replay-count">
          <span className="text-2xl font-semibold tabular-nums text-slate-900">{formatCount(ids.length)}</span> selected.
        </p>
      )}
    </Dialog>
  );
}
