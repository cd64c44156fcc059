'use client';

import { useState, useTransition } from 'react';
import { DESTINATION_TYPE_INFO, type DestinationType, isBroker } from '@/components/destinations/destination-types';
import { Button } from '@/components/ui/button';
import type { TestDeliveryResult } from '@/lib/worker/send-test-delivery';
import { sendTestDeliveryAction } from '../actions';

/**
 * Sends one signed test request (or, for a broker, one message) to the destination now and shows
 * what it answered: an HTTP status, or the broker's confirmation ("Confirmed by RabbitMQ").
 */
export function SendTestDelivery({ destinationId, type, allowed }: { destinationId: string; type: DestinationType; allowed: boolean }) {
  const broker = isBroker(type);
  const info = DESTINATION_TYPE_INFO[type];
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<TestDeliveryResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = () =>
    startTransition(async () => {
      const answer = await sendTestDeliveryAction({ destinationId });
      if (!answer.ok) {
        setResult(null);
        return setError(answer.error.message);
      }
      setError(null);
      setResult(answer.data);
    });
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={send} disabled={pending || !allowed} aria-describedby={allowed ? undefined : 'test-delivery-unavailable'}>
          {pending ? 'Sending…' : 'Send test event'}
        </Button>
        <p id="test-delivery-unavailable" className="text-sm text-slate-500">
          {allowed
            ? broker
              ? `One signed message (type hookyard.test, source hookyard-test) published to this ${info.label} destination now, with its options and signing secret. Nothing is stored as an event.`
              : 'One signed request (type hookyard.test) to this URL now, with its headers and signing secret. Nothing is stored as an event.'
            : 'Sending a test event needs the SUPPORT or ADMIN role.'}
        </p>
      </div>
      <div aria-live="polite">
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200">
            {error}
          </p>
        ) : null}
        {result ? (
          <div
            data-testid="test-delivery-result"
            data-ok={result.ok}
            className={`rounded-md px-4 py-3 text-sm ring-1 ring-inset ${result.ok ? 'bg-emerald-50 text-emerald-900 ring-emerald-200' : 'bg-red-50 text-red-900 ring-red-200'}`}
          >
            <p className="font-medium" data-testid="test-delivery-summary">
              {broker && result.status === null ? (
                <>{result.ok ? info.confirmed : `Not confirmed by ${info.label}`}</>
              ) : (
                <>
                  {result.ok ? 'Delivered' : 'Failed'}: <span className="font-mono">{result.status ?? 'no response'}</span>
                </>
              )}{' '}
              in {result.durationMs} ms
              {result.signed ? '' : ' (unsigned: no active signing secret)'}
            </p>
            {result.error ? <p className="mt-1 break-all">{result.error}</p> : null}
            <p className="mt-1 text-xs">
              webhook-id <code className="font-mono">{result.webhookId}</code>
            </p>
            {result.responseBody ? (
              <pre
                className="mt-2 max-h-40 overflow-auto whitespace-pre-wrap break-all rounded bg-white/70 p-2 font-mono text-xs"
                data-testid="test-delivery-body"
              >
                {result.responseBody}
              </pre>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
