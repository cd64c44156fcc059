'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { formatCount } from '@/components/events/format';
import { LocalTime } from '@/components/events/local-time';
import { UpcomingTime } from '@/components/events/upcoming-time';
import { Button } from '@/components/ui/button';
import { Badge } from '@/components/ui/card';
import type { ActionResult } from '@/lib/http/action-result';

export interface ReplayProgressJson {
  id: string;
  status: 'pending' | 'running' | 'completed' | 'cancelled' | 'failed';
  total: number;
  processed: number;
  ratePerSecond: number;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelledBy: string | null;
  deliveries: Partial<Record<string, number>>;
  /** Of the pending ones, those an open circuit holds, and when it probes next. */
  heldByCircuit?: { count: number; nextProbeAt: string } | null;
}

type CancelAction = (input: { id: string }) => Promise<ActionResult<{ status: string; cancelledDeliveries: number }>>;

const STATUS = {
  pending: { label: 'Starting', tone: 'amber' },
  running: { label: 'Running', tone: 'indigo' },
  completed: { label: 'Completed', tone: 'green' },
  cancelled: { label: 'Cancelled', tone: 'slate' },
  failed: { label: 'Failed', tone: 'red' },
} as const;

const POLL_MS = 1_000;

/**
 * A bulk replay as it runs: how many of the matched deliveries have been re-created, what became
 * of the new ones (those an open circuit holds said so, with its next probe), and a Cancel button
 * (SUPPORT and ADMIN) while there is anything left to stop; Dismiss only once there is not.
 * Polls GET /api/v1/replays/{id} every second until nothing moves any more; the queue behind it
 * is refreshed as rows leave it.
 */
export function ReplayProgress({
  replayId,
  canCancel,
  cancel,
  onDismiss,
}: {
  replayId: string;
  canCancel: boolean;
  cancel: CancelAction;
  onDismiss: () => void;
}) {
  const router = useRouter();
  const [progress, setProgress] = useState<ReplayProgressJson | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [cancelling, startCancel] = useTransition();
  const [cancelNote, setCancelNote] = useState<string | null>(null);
  const lastProcessed = useRef<number | null>(null);

  const waiting = progress ? (progress.deliveries.pending ?? 0) + (progress.deliveries.in_flight ?? 0) + (progress.deliveries.paused ?? 0) : 0;
  const finished = progress !== null && progress.status !== 'pending' && progress.status !== 'running';
  const settled = finished && waiting === 0;

  useEffect(() => {
    if (settled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const response = await fetch(`/api/v1/replays/${replayId}`, { cache: 'no-store', headers: { accept: 'application/json' } });
        if (response.status === 404) {
          setProblem('This replay does not exist (any more).');
          return;
        }
        if (!response.ok) throw new Error(String(response.status));
        const next = (await response.json()) as ReplayProgressJson;
        if (stopped) return;
        setProblem(null);
        setProgress(next);
        if (lastProcessed.current !== null && next.processed !== lastProcessed.current) router.refresh();
        lastProcessed.current = next.processed;
      } catch {
        if (!stopped) setProblem('Cannot reach the server; still trying…');
      }
      if (!stopped && document.visibilityState !== 'hidden') timer = setTimeout(tick, POLL_MS);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible' && !timer) void tick();
    };
    void tick();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [replayId, settled, router]);

  // One last refresh of the queue once everything has settled.
  useEffect(() => {
    if (settled) router.refresh();
  }, [settled, router]);

  const doCancel = () =>
    startCancel(async () => {
      const answer = await cancel({ id: replayId });
      if (!answer.ok) {
        setCancelNote(answer.error.message);
        return;
      }
      setCancelNote(
        `Cancelled; ${formatCount(answer.data.cancelledDeliveries)} not-yet-sent ${answer.data.cancelledDeliveries === 1 ? 'delivery was' : 'deliveries were'} stopped.`,
      );
      setProgress((current) => (current ? { ...current, status: 'cancelled' } : current));
      router.refresh();
    });

  const percent = progress && progress.total > 0 ? Math.round((progress.processed / progress.total) * 100) : progress && finished ? 100 : 0;
  const held = progress?.heldByCircuit ?? null;
  // "Completed" is about re-creating the deliveries; while they still wait, say what they wait for.
  const status = progress
    ? progress.status === 'completed' && waiting > 0
      ? held && held.count === waiting
        ? ({ label: 'Held by the circuit', tone: 'amber' } as const)
        : ({ label: 'Sending', tone: 'indigo' } as const)
      : STATUS[progress.status]
    : null;
  const cancellable =
    canCancel && progress !== null && (progress.status === 'pending' || progress.status === 'running' || (progress.status === 'completed' && waiting > 0));

  return (
    <section
      aria-labelledby={`replay-${replayId}-title`}
      className="mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-indigo-200"
      data-testid="replay-progress"
      data-status={progress?.status ?? 'loading'}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id={`replay-${replayId}-title`} className="flex items-center gap-2 text-sm font-semibold text-slate-900">
            Bulk replay
            {status ? (
              <span data-testid="replay-status">
                <Badge tone={status.tone}>{status.label}</Badge>
              </span>
            ) : null}
          </h2>
          <p className="mt-0.5 text-xs text-slate-500">
            {progress ? (
              <>
                Started by {progress.createdBy} · <LocalTime value={progress.createdAt} relative="inline" /> · up to {formatCount(progress.ratePerSecond)} per
                second
                {progress.cancelledBy ? ` · cancelled by ${progress.cancelledBy}` : ''}
              </>
            ) : (
              '\u00a0'
            )}
          </p>
        </div>
        <div className="flex gap-2">
          {cancellable ? (
            <Button variant="danger" onClick={doCancel} disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Cancel replay'}
            </Button>
          ) : null}
          {finished && !cancellable ? (
            <Button variant="secondary" onClick={onDismiss} aria-label="Dismiss the replay progress">
              Dismiss
            </Button>
          ) : null}
        </div>
      </div>
      <div className="mt-3">
        <div
          role="progressbar"
          aria-label="Deliveries re-created"
          aria-valuemin={0}
          aria-valuemax={progress?.total ?? 0}
          aria-valuenow={progress?.processed ?? 0}
          className="h-2 overflow-hidden rounded-full bg-slate-100"
        >
          <div
            className={`h-full rounded-full transition-[width] duration-500 ${progress?.status === 'cancelled' ? 'bg-slate-400' : 'bg-indigo-600'}`}
            style={{ width: `${percent}%` }}
          />
        </div>
        <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700" aria-live="polite">
          <span data-testid="replay-processed">{progress ? `${formatCount(progress.processed)} of ${formatCount(progress.total)} re-sent` : 'Loading…'}</span>
          {progress ? (
            <>
              <span className="text-emerald-700" data-testid="replay-succeeded">
                {formatCount(progress.deliveries.succeeded ?? 0)} succeeded
              </span>
              <span className="text-red-700">{formatCount(progress.deliveries.failed ?? 0)} failed again</span>
              <span className="text-slate-500">{formatCount(waiting - (held?.count ?? 0))} on the way</span>
              {held ? (
                <span className="text-amber-800" data-testid="replay-held">
                  {formatCount(held.count)} held by the circuit, next probe at <UpcomingTime value={held.nextProbeAt} dueText="any moment now (due)" />
                </span>
              ) : null}
              {progress.deliveries.cancelled ? <span className="text-slate-500">{formatCount(progress.deliveries.cancelled)} cancelled</span> : null}
            </>
          ) : null}
        </p>
        {problem ? (
          <p role="alert" className="mt-1 text-xs text-amber-800">
            {problem}
          </p>
        ) : null}
        {cancelNote ? (
          <p role="status" className="mt-1 text-xs text-slate-600">
            {cancelNote}
          </p>
        ) : null}
      </div>
    </section>
  );
}
