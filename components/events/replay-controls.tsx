'use client';

import { useRouter } from 'next/navigation';
import { type ReactNode, useId, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import type { ActionResult } from '@/lib/http/action-result';

export type ReplayAction = (input: {
  eventId: string;
  destinationId?: string;
}) => Promise<ActionResult<{ deliveries: string[]; skipped: { destinationId: string; reason: string }[] }>>;
export type RetryAction = (input: { deliveryId: string }) => Promise<ActionResult<{ status: string; scheduleRestarted: boolean }>>;

export const NEEDS_SUPPORT = 'Replaying and retrying need the SUPPORT or ADMIN role. Ask an admin if you need it.';

/**
 * A button that is there but disabled for a role that may not use it, with the reason on hover
 * and on keyboard focus (a disabled button cannot take focus, so its wrapper does).
 */
export function GatedButton({ allowed, reason, children, ...props }: { allowed: boolean; reason: string; children: ReactNode } & Parameters<typeof Button>[0]) {
  const id = useId();
  if (allowed) return <Button {...props}>{children}</Button>;
  return (
    <span className="group relative inline-flex" tabIndex={0} aria-describedby={id}>
      <Button {...props} disabled aria-disabled="true">
        {children}
      </Button>
      <span
        id={id}
        role="tooltip"
        className="pointer-events-none invisible absolute right-0 top-full z-20 mt-2 w-64 rounded-md bg-slate-900 px-3 py-2 text-left text-xs font-normal text-white opacity-0 shadow-lg transition-opacity group-hover:visible group-hover:opacity-100 group-focus:visible group-focus:opacity-100"
      >
        {reason}
      </span>
    </span>
  );
}

function Outcome({ result }: { result: { tone: 'success' | 'error'; text: string } | null }) {
  return (
    <p
      role={result?.tone === 'error' ? 'alert' : 'status'}
      aria-live="polite"
      className={`text-xs ${result?.tone === 'error' ? 'text-red-700' : 'text-emerald-700'} ${result ? '' : 'sr-only'}`}
      data-testid="action-outcome"
    >
      {result?.text ?? ''}
    </p>
  );
}

/**
 * "Replay to all destinations" in the page header. When some destinations already have the event
 * (their latest delivery succeeded), it asks first and names them: they would receive it again.
 */
export function ReplayAllButton({
  eventId,
  destinationCount,
  succeededDestinations = [],
  allowed,
  action,
}: {
  eventId: string;
  destinationCount: number;
  /** Names of the destinations whose latest delivery of this event succeeded. */
  succeededDestinations?: string[];
  allowed: boolean;
  action: ReplayAction;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  if (destinationCount === 0) return null;
  const run = () =>
    startTransition(async () => {
      const answer = await action({ eventId });
      setConfirming(false);
      if (!answer.ok) {
        setResult({ tone: 'error', text: answer.error.message });
        return;
      }
      const sent = answer.data.deliveries.length;
      const skipped = answer.data.skipped.map((entry) => entry.reason).join('; ');
      setResult({
        tone: 'success',
        text: `Replay queued: ${sent} new ${sent === 1 ? 'delivery' : 'deliveries'}${skipped ? ` (skipped: ${skipped})` : ''}.`,
      });
      router.refresh();
    });
  return (
    <div className="flex flex-col items-end gap-1">
      <GatedButton allowed={allowed} reason={NEEDS_SUPPORT} onClick={() => (succeededDestinations.length > 0 ? setConfirming(true) : run())} disabled={pending}>
        {pending ? 'Replaying…' : destinationCount === 1 ? 'Replay' : `Replay to all ${destinationCount} destinations`}
      </GatedButton>
      <Outcome result={result} />
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={run}
        pending={pending}
        title={`Send this event again to ${destinationCount === 1 ? 'its destination' : `all ${destinationCount} destinations`}?`}
        description={
          <>
            Already delivered to{' '}
            <span className="font-semibold text-slate-900" data-testid="already-succeeded">
              {succeededDestinations.join(', ')}
            </span>
            . {succeededDestinations.length === 1 ? 'It' : 'They'} will receive it a second time, as a new delivery with a new webhook-id, so a receiver that
            deduplicates on webhook-id will not drop it. To re-send to one destination, use its own Replay button.
          </>
        }
        confirmLabel="Replay anyway"
      />
    </div>
  );
}

/** Per delivery: "Replay" (a new delivery to this destination) and, when it can still be sent, "Retry now". */
export function DeliveryActions({
  eventId,
  deliveryId,
  destinationId,
  destinationName,
  status,
  isLatest,
  allowed,
  replay,
  retry,
}: {
  eventId: string;
  deliveryId: string;
  destinationId: string;
  destinationName: string;
  status: string;
  /** Only the latest delivery to a destination offers replay: it is the one a replay re-sends. */
  isLatest: boolean;
  allowed: boolean;
  replay: ReplayAction;
  retry: RetryAction;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const canRetry = status === 'failed' || status === 'pending' || status === 'cancelled';

  const doReplay = () =>
    startTransition(async () => {
      const answer = await replay({ eventId, destinationId });
      setResult(answer.ok ? { tone: 'success', text: `Replay queued to ${destinationName}.` } : { tone: 'error', text: answer.error.message });
      if (answer.ok) router.refresh();
    });
  const doRetry = () =>
    startTransition(async () => {
      const answer = await retry({ deliveryId });
      setResult(
        answer.ok
          ? {
              tone: 'success',
              text:
                answer.data.status === 'paused'
                  ? 'Queued, held until the destination is resumed.'
                  : `Sending now${answer.data.scheduleRestarted ? ', with a fresh retry schedule' : ''}.`,
            }
          : { tone: 'error', text: answer.error.message },
      );
      if (answer.ok) router.refresh();
    });

  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap justify-end gap-2">
        {canRetry ? (
          <GatedButton
            allowed={allowed}
            reason={NEEDS_SUPPORT}
            variant="secondary"
            className="px-2.5 py-1.5 text-xs"
            onClick={doRetry}
            disabled={pending}
            aria-label={`Retry now to ${destinationName}`}
          >
            Retry now
          </GatedButton>
        ) : null}
        {isLatest && status !== 'pending' && status !== 'in_flight' ? (
          <GatedButton
            allowed={allowed}
            reason={NEEDS_SUPPORT}
            variant="secondary"
            className="px-2.5 py-1.5 text-xs"
            onClick={doReplay}
            disabled={pending}
            aria-label={`Replay to ${destinationName}`}
          >
            Replay
          </GatedButton>
        ) : null}
      </div>
      <Outcome result={result} />
    </div>
  );
}
