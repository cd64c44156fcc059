'use client';

import { useEffect, useId, useRef, useState, useTransition } from 'react';
import { formatCount, plural } from '@/components/events/format';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import type { GroupKey, QueueActions, QueueFilter } from './queue-types';

const MAX_SELECTION = 200;

const RATES = [10, 50, 200, 1000];

/** Replay everything the filters match: counts first (a dry run), then starts a paced bulk replay. */
export function ReplayAllDialog({
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
            <span className="text-2xl font-semibold tabular-nums text-slate-900">{formatCount(matched)}</span> {matched === 1 ? 'delivery' : 'deliveries'} will
            be sent again, each as a new delivery to the same destination. The failed ones stay in their events&apos; history.
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
          {matched && seconds > 5 ? ` About ${seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`} at this pace.` : ''} You can cancel while it
          runs.
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

/** Replay the selected deliveries at once. */
export function ReplaySelectedDialog({
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
  onDone: (text: string, tone: 'success' | 'error', newDeliveryIds: string[]) => void;
}) {
  const replay = () => replaySelected({ deliveryIds: ids });
  const summary = `${plural(ids.length, 'delivery', 'deliveries')}${groups > 1 ? ` in ${groups} groups` : ''}`;
  return (
    <ReplayConfirmDialog
      title={`Replay ${summary}?`}
      summary={summary}
      count={ids.length}
      countText="selected"
      replay={replay}
      onClose={onClose}
      onDone={onDone}
    />
  );
}

/** One group's Replay button: the group's deliveries, after the same confirmation. */
export function ReplayGroupDialog({
  groupKey,
  filter,
  count,
  label,
  replayGroup,
  onClose,
  onDone,
}: {
  groupKey: GroupKey;
  filter: QueueFilter;
  count: number;
  /** "Billing API · HTTP 500" */
  label: string;
  replayGroup: QueueActions['replayGroup'];
  onClose: () => void;
  onDone: (text: string, tone: 'success' | 'error', newDeliveryIds: string[]) => void;
}) {
  const shown = Math.min(count, MAX_SELECTION);
  const summary = plural(shown, 'delivery', 'deliveries');
  return (
    <ReplayConfirmDialog
      title={`Replay ${summary} of ${label}?`}
      summary={summary}
      count={shown}
      countText={count > MAX_SELECTION ? `of ${formatCount(count)} in this group (the newest; press again for the rest)` : 'in this group'}
      replay={() => replayGroup({ key: groupKey, filter })}
      onClose={onClose}
      onDone={onDone}
    />
  );
}

function ReplayConfirmDialog({
  title,
  summary,
  count,
  countText,
  replay,
  onClose,
  onDone,
}: {
  title: string;
  summary: string;
  count: number;
  countText: string;
  replay: () => ReturnType<QueueActions['replaySelected']>;
  onClose: () => void;
  onDone: (text: string, tone: 'success' | 'error', newDeliveryIds: string[]) => void;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const confirm = () =>
    startTransition(async () => {
      const answer = await replay();
      if (!answer.ok) {
        setError(answer.error.message);
        return;
      }
      const { replayed, skipped } = answer.data;
      const reasons = [...new Set(skipped.map((entry) => entry.reason))].join('; ');
      onDone(
        `${plural(replayed.length, 'delivery', 'deliveries')} sent again${skipped.length ? `; ${formatCount(skipped.length)} skipped (${reasons})` : ''}. They leave the queue; a replay that fails again comes back here.`,
        replayed.length === 0 && skipped.length > 0 ? 'error' : 'success',
        replayed.map((entry) => entry.newDeliveryId),
      );
    });
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
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
          <span className="text-2xl font-semibold tabular-nums text-slate-900">{formatCount(count)}</span> {countText}.
        </p>
      )}
    </Dialog>
  );
}
