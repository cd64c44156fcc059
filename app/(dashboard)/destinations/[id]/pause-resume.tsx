'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { pauseDestinationAction, resumeDestinationAction } from '../actions';

/** Pause holds deliveries (nothing is lost); resume sends what was held, and re-enables a disabled destination. */
export function PauseResume({ id, name, status }: { id: string; name: string; status: 'active' | 'paused' | 'disabled' }) {
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);

  const pause = () =>
    startTransition(async () => {
      const result = await pauseDestinationAction({ id });
      if (!result.ok) return setMessage({ tone: 'error', text: result.error.message });
      setMessage(null);
      setConfirming(false);
    });
  const resume = () =>
    startTransition(async () => {
      const result = await resumeDestinationAction({ id });
      if (!result.ok) return setMessage({ tone: 'error', text: result.error.message });
      const requeued = result.data.requeued;
      setMessage({ tone: 'ok', text: requeued > 0 ? `Resumed: ${requeued} held ${requeued === 1 ? 'delivery is' : 'deliveries are'} due now.` : 'Resumed.' });
    });

  return (
    <div className="flex flex-wrap items-center justify-end gap-3">
      <span aria-live="polite" className={`text-sm ${message?.tone === 'error' ? 'text-red-700' : 'text-emerald-700'}`}>
        {message?.text}
      </span>
      {status === 'active' ? (
        <Button variant="secondary" onClick={() => setConfirming(true)} disabled={pending}>
          Pause
        </Button>
      ) : (
        <Button onClick={resume} disabled={pending}>
          {pending ? 'Resuming…' : status === 'disabled' ? 'Re-enable' : 'Resume'}
        </Button>
      )}
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={pause}
        title={`Pause ${name}?`}
        description="New and retrying deliveries are held, not sent and not lost, until you resume; then they go out in order. Ingest keeps accepting events meanwhile."
        confirmLabel="Pause destination"
        pending={pending}
        error={message?.tone === 'error' ? message.text : null}
      />
    </div>
  );
}
