'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { formatCount, plural } from '@/components/events/format';
import type { QueueActions } from './queue-types';

const POLL_MS = 2_000;

/**
 * What became of a selective (or one group's) replay: the new deliveries are watched every 2 s
 * while the tab is visible until none is pending or in flight, then the count of those that
 * succeeded and those that failed again (which are back in the queue) stays on screen.
 */
export function ReplayOutcome({ deliveryIds, outcome, onDismiss }: { deliveryIds: string[]; outcome: QueueActions['outcome']; onDismiss: () => void }) {
  const router = useRouter();
  const [state, setState] = useState<{ succeeded: number; failed: number; waiting: number; cancelled: number } | null>(null);
  const done = state !== null && state.waiting === 0;

  useEffect(() => {
    if (done) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const answer = await outcome({ deliveryIds });
      if (stopped) return;
      if (answer.ok) {
        setState((previous) => {
          if (previous && (previous.failed !== answer.data.failed || previous.succeeded !== answer.data.succeeded)) router.refresh();
          return answer.data;
        });
        if (answer.data.waiting === 0) return;
      }
      if (document.visibilityState !== 'hidden') timer = setTimeout(tick, POLL_MS);
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
  }, [deliveryIds, outcome, done, router]);

  useEffect(() => {
    if (done) router.refresh();
  }, [done, router]);

  const tone = done && state && state.failed > 0 ? 'bg-amber-50 text-amber-900 ring-amber-200' : 'bg-slate-50 text-slate-800 ring-slate-200';
  return (
    <div
      role="status"
      aria-live="polite"
      className={`mb-3 flex items-start justify-between gap-3 rounded-md px-4 py-3 text-sm ring-1 ring-inset ${tone}`}
      data-testid="replay-outcome"
      data-done={done ? 'true' : 'false'}
    >
      <span>
        {state === null
          ? `Watching ${plural(deliveryIds.length, 'replayed delivery', 'replayed deliveries')}…`
          : done
            ? `Replay finished: ${formatCount(state.succeeded)} succeeded, ${formatCount(state.failed)} failed again${state.cancelled ? `, ${formatCount(state.cancelled)} cancelled` : ''}.${state.failed > 0 ? ' Those that failed again are back in the queue.' : ''}`
            : `Replaying: ${formatCount(state.succeeded)} succeeded, ${formatCount(state.failed)} failed again, ${formatCount(state.waiting)} on the way…`}
      </span>
      <button type="button" onClick={onDismiss} className="shrink-0 text-xs font-semibold underline" aria-label="Dismiss the replay outcome">
        Dismiss
      </button>
    </div>
  );
}
