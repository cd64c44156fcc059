'use client';

import { CopyButton } from '@/components/ui/copy-button';
import { shortIdText } from './short-id-text';

/** A short id with the full id on hover, and a button that copies the full id. */
export function ShortId({ id, providerId, kind = 'event', className = '' }: { id: string; providerId?: string | null; kind?: string; className?: string }) {
  const title = providerId ? `Full ${kind} id: ${id}\nProvider's id: ${providerId}` : `Full ${kind} id: ${id}`;
  return (
    <span className={`inline-flex min-w-0 items-center gap-1 ${className}`}>
      <span data-testid="short-id" className="break-all font-mono" title={title}>
        {shortIdText(id, providerId)}
      </span>
      <CopyButton value={id} label={`Copy ${kind} id ${id}`} iconOnly className="p-0.5! shadow-none!" />
    </span>
  );
}
