'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { acknowledgeAlertAction, resolveAlertAction } from './actions';

/** Acknowledge and Resolve for one alert. The server checks the role again; hiding buttons is not the check. */
export function AlertActions({ id, status, subject }: { id: string; status: 'open' | 'acknowledged' | 'resolved'; subject: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<'acknowledge' | 'resolve' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = (which: 'acknowledge' | 'resolve') => {
    setBusy(which);
    startTransition(async () => {
      const result = await (which === 'acknowledge' ? acknowledgeAlertAction : resolveAlertAction)({ id });
      setError(result.ok ? null : result.error.message);
      setBusy(null);
      router.refresh();
    });
  };

  if (status === 'resolved') return null;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex items-center justify-end gap-2 whitespace-nowrap">
        {status === 'open' ? (
          <Button variant="secondary" disabled={pending} onClick={() => run('acknowledge')} aria-label={`Acknowledge: ${subject}`}>
            {busy === 'acknowledge' ? 'Acknowledging…' : 'Acknowledge'}
          </Button>
        ) : null}
        <Button variant="secondary" disabled={pending} onClick={() => run('resolve')} aria-label={`Resolve: ${subject}`}>
          {busy === 'resolve' ? 'Resolving…' : 'Resolve'}
        </Button>
      </div>
      {error ? (
        <p role="alert" className="max-w-64 text-right text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
