'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/field';
import { updateUserAction } from './actions';

type Role = 'ADMIN' | 'SUPPORT' | 'VIEWER';

export function UserRowActions({ id, email, role, active }: { id: string; email: string; role: Role; active: boolean }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  const change = (changes: { role?: Role; active?: boolean }) =>
    startTransition(async () => {
      const result = await updateUserAction({ id, changes });
      setError(result.ok ? null : result.error.message);
    });

  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <label className="sr-only" htmlFor={`role-${id}`}>
        Role of {email}
      </label>
      <Select
        id={`role-${id}`}
        className="w-32"
        value={role}
        disabled={pending || !active}
        onChange={(event) => change({ role: event.target.value as Role })}
      >
        <option value="VIEWER">Viewer</option>
        <option value="SUPPORT">Support</option>
        <option value="ADMIN">Admin</option>
      </Select>
      <Button variant={active ? 'danger' : 'secondary'} disabled={pending} onClick={() => change({ active: !active })} aria-label={`${active ? 'Deactivate' : 'Reactivate'} ${email}`}>
        {active ? 'Deactivate' : 'Reactivate'}
      </Button>
      {error ? (
        <p role="alert" className="basis-full text-right text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
