'use client';

import Link from 'next/link';
import { useId, useState, useTransition } from 'react';
import { formatCount } from '@/components/events/format';
import { LocalTime } from '@/components/events/local-time';
import { ShortId } from '@/components/ids/short-id';
import { shortIdText } from '@/components/ids/short-id-text';
import { GatedButton } from '@/components/events/replay-controls';
import { Button } from '@/components/ui/button';
import { Badge } from '@/components/ui/card';
import { errorKindLabel, errorMessageOf, failureTitle } from '@/lib/deliveries/error-label';
import { type GroupDelivery, groupId, type GroupJson, type QueueActions, type QueueFilter } from './queue-types';

/** One group of the failed queue: its summary row, opening onto its deliveries (keyset pages of 25). */
export function GroupRow({
  group,
  filter,
  canAct,
  selected,
  onToggle,
  list,
  onReplay,
}: {
  group: GroupJson;
  filter: QueueFilter;
  canAct: boolean;
  selected: ReadonlyMap<string, { group: string }>;
  onToggle: (ids: string[], group: string, on: boolean) => void;
  list: QueueActions['list'];
  /** Opens the confirmation to replay this group's deliveries (SUPPORT and ADMIN). */
  onReplay: (group: GroupJson) => void;
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
    <li
      className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
      data-testid="failed-group"
      data-destination={group.destination.name}
      data-count={group.count}
    >
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <button
          type="button"
          onClick={expand}
          aria-expanded={open}
          aria-controls={`${id}-rows`}
          className="flex min-w-0 flex-1 items-start gap-3 rounded-md text-left focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-600"
        >
          <svg
            viewBox="0 0 20 20"
            fill="currentColor"
            aria-hidden="true"
            className={`mt-0.5 size-5 shrink-0 text-slate-500 transition-transform ${open ? 'rotate-90' : ''}`}
          >
            <path
              fillRule="evenodd"
              d="M7.2 14.8a.75.75 0 0 1 0-1.06L10.94 10 7.2 6.26a.75.75 0 1 1 1.06-1.06l4.27 4.27a.75.75 0 0 1 0 1.06l-4.27 4.27a.75.75 0 0 1-1.06 0Z"
              clipRule="evenodd"
            />
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
        <GatedButton
          allowed={canAct}
          reason="Replaying needs the SUPPORT or ADMIN role."
          variant="secondary"
          onClick={() => onReplay(group)}
          aria-label={`Replay the ${group.count === 1 ? 'delivery' : `${formatCount(group.count)} deliveries`} of this group`}
        >
          Replay
        </GatedButton>
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
                        <Link
                          href={`/events/${row.eventId}#delivery-${row.id}`}
                          className="block break-all font-mono text-[13px] font-medium text-slate-900 hover:text-indigo-700 hover:underline"
                        >
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
