'use client';

import Link from 'next/link';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import type { TestEventResult } from '@/lib/sources/send-test-event';
import { sendTestEventAction } from '../actions';

/**
 * Sends a correctly signed sample through the real ingest route and shows what it answered. When
 * the preset cannot sign (or a precondition is missing), the button is disabled and says why.
 */
export function SendTestEvent({ sourceId, providerLabel, unavailableReason }: { sourceId: string; providerLabel: string; unavailableReason: string | null }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<TestEventResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = () =>
    startTransition(async () => {
      const answer = await sendTestEventAction({ sourceId });
      if (!answer.ok) {
        setResult(null);
        return setError(answer.error.message);
      }
      setError(null);
      setResult(answer.data);
    });
  const good = result?.status === 202 || (result?.status === 200 && result.duplicate);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant="secondary"
          onClick={send}
          disabled={pending || unavailableReason !== null}
          aria-describedby={unavailableReason ? 'test-event-unavailable' : undefined}
        >
          <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
            <path d="M3.1 2.3a.75.75 0 0 0-.9.95l1.4 4.9a1 1 0 0 0 .8.7l6 1.1c.3.1.3.6 0 .6l-6 1.1a1 1 0 0 0-.8.7l-1.4 4.9a.75.75 0 0 0 .9.95 28.9 28.9 0 0 0 15.3-7.5.75.75 0 0 0 0-1.1A28.9 28.9 0 0 0 3.1 2.3Z" />
          </svg>
          {pending ? 'Sending…' : 'Send test event'}
        </Button>
        {unavailableReason ? (
          <p id="test-event-unavailable" className="text-sm text-slate-500">
            {unavailableReason}
          </p>
        ) : (
          <p className="text-sm text-slate-500">A sample {providerLabel} event, signed with the newest active secret, through the real ingest route.</p>
        )}
      </div>
      <div aria-live="polite">
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200">
            {error}
          </p>
        ) : null}
        {result ? (
          <div
            data-testid="test-event-result"
            className={`rounded-md px-4 py-3 text-sm ring-1 ring-inset ${good ? 'bg-emerald-50 text-emerald-900 ring-emerald-200' : 'bg-amber-50 text-amber-900 ring-amber-200'}`}
          >
            <p className="font-medium">
              <span className="font-mono" data-testid="test-event-status">
                {result.status ?? 'No answer'}
              </span>
              {result.eventType ? (
                <>
                  {' · '}
                  <span className="font-mono">{result.eventType}</span>
                </>
              ) : null}
            </p>
            <p className="mt-1">{result.message}</p>
            {result.eventId ? (
              <p className="mt-1">
                Event{' '}
                <Link href={`/events/${result.eventId}`} className="font-mono text-indigo-700 underline" data-testid="test-event-id">
                  {result.eventId}
                </Link>
              </p>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
