'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { formatCount, plural } from '@/components/events/format';
import { GatedButton } from '@/components/events/replay-controls';
import { Button } from '@/components/ui/button';
import { GroupRow } from './group-row';
import { groupId, type GroupJson, type QueueActions, type QueueFilter } from './queue-types';
import { failureTitle } from '@/lib/deliveries/error-label';
import { ReplayAllDialog, ReplayGroupDialog, ReplaySelectedDialog } from './replay-dialogs';
import { ReplayOutcome } from './replay-outcome';
import { ReplayProgress } from './replay-progress';

export type { GroupDelivery, GroupJson, GroupKey, QueueActions, QueueFilter } from './queue-types';

const MAX_SELECTION = 200;
const NEEDS_SUPPORT = 'Replaying needs the SUPPORT or ADMIN role. You can look, but not send again; ask an admin if you need it.';

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
  const [groupToReplay, setGroupToReplay] = useState<GroupJson | null>(null);
  /** The new deliveries of the last selective or group replay, watched until they finish. */
  const [watching, setWatching] = useState<string[] | null>(null);
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
      {replayId ? (
        <ReplayProgress key={replayId} replayId={replayId} canCancel={canAct} cancel={actions.cancel} onDismiss={() => setReplayParam(null)} />
      ) : null}

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

      {watching ? <ReplayOutcome key={watching.join(',')} deliveryIds={watching} outcome={actions.outcome} onDismiss={() => setWatching(null)} /> : null}

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
            onReplay={setGroupToReplay}
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
      {groupToReplay ? (
        <ReplayGroupDialog
          groupKey={groupToReplay.key}
          filter={filter}
          count={groupToReplay.count}
          label={`${groupToReplay.destination.name} · ${failureTitle(groupToReplay.key)}`}
          replayGroup={actions.replayGroup}
          onClose={() => setGroupToReplay(null)}
          onDone={(text, tone, newDeliveryIds) => {
            setGroupToReplay(null);
            setNotice({ tone, text });
            setWatching(newDeliveryIds.length > 0 ? newDeliveryIds : null);
            setVersion((value) => value + 1);
            router.refresh();
          }}
        />
      ) : null}
      {dialog === 'selected' ? (
        <ReplaySelectedDialog
          ids={[...selected.keys()]}
          groups={new Set([...selected.values()].map((entry) => entry.group)).size}
          replaySelected={actions.replaySelected}
          onClose={() => setDialog(null)}
          onDone={(text, tone, newDeliveryIds) => {
            setDialog(null);
            setSelected(new Map());
            setNotice({ tone, text });
            setWatching(newDeliveryIds.length > 0 ? newDeliveryIds : null);
            setVersion((value) => value + 1);
            router.refresh();
          }}
        />
      ) : null}
    </>
  );
}
