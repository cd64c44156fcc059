'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { updateSourceAction } from '../actions';

/** Disable (with a confirmation that says what happens to the provider's requests) or enable. */
export function SourceStatusToggle({ id, name, status }: { id: string; name: string; status: 'active' | 'disabled' }) {
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = (next: 'active' | 'disabled') =>
    startTransition(async () => {
      const result = await updateSourceAction({ id, changes: { status: next } });
      if (!result.ok) return setError(result.error.message);
      setError(null);
      setConfirming(false);
    });
  if (status === 'disabled') {
    return (
      <>
        <Button variant="secondary" onClick={() => change('active')} disabled={pending}>
          {pending ? 'Enabling…' : 'Enable source'}
        </Button>
        {error ? (
          <span role="alert" className="text-xs text-red-700">
            {error}
          </span>
        ) : null}
      </>
    );
  }
  return (
    <>
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Disable
      </Button>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={() => change('disabled')}
        title={`Disable ${name}?`}
        description="Its ingest URL answers 404 from now on, so the provider's requests are refused (and it will retry them on its own schedule). Stored events, deliveries and secrets stay; you can enable it again at any time."
        confirmLabel="Disable source"
        pending={pending}
        error={error}
      />
    </>
  );
}
