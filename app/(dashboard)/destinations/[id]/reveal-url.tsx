'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { revealDestinationUrlAction } from '../actions';

/**
 * An admin's "Reveal" of a broker URL's password (the page shows it as `***`). The server action
 * checks the ADMIN role and writes the `destination.reveal_url` audit entry before answering; the
 * page renders this control for admins only, which is a courtesy, not the check.
 */
export function RevealUrl({ destinationId }: { destinationId: string }) {
  const [pending, startTransition] = useTransition();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reveal = () =>
    startTransition(async () => {
      const answer = await revealDestinationUrlAction({ id: destinationId });
      if (!answer.ok) return setError(answer.error.message);
      setError(null);
      setUrl(answer.data.url);
    });
  if (url !== null)
    return (
      <span className="flex min-w-0 flex-wrap items-center gap-2">
        <code data-testid="revealed-url" className="select-all break-all rounded bg-slate-900 px-2 py-1 font-mono text-xs text-emerald-200">
          {url}
        </code>
        <CopyButton value={url} label="Copy URL with password" />
        <Button variant="secondary" onClick={() => setUrl(null)}>
          Hide
        </Button>
      </span>
    );
  return (
    <span className="flex items-center gap-2">
      <Button variant="secondary" onClick={reveal} disabled={pending} aria-label="Reveal the URL's password">
        {pending ? 'Revealing…' : 'Reveal'}
      </Button>
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
