'use client';

import { useState, useTransition } from 'react';
import { RelativeTime } from '@/components/relative-time';
import { Button } from '@/components/ui/button';
import { Badge } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/dialog';
import { clearSignInLockAction } from './actions';

export interface SignInLockRow {
  key: string;
  kind: 'account' | 'account+address' | 'address';
  email: string | null;
  ip: string | null;
  failures: number;
  lockedUntil: string | null;
  lastFailedAt: string | null;
}

const KIND_LABELS: Record<SignInLockRow['kind'], string> = { account: 'Account', 'account+address': 'Account from address', address: 'Address' };

function describe(row: SignInLockRow): string {
  if (row.kind === 'account') return row.email ?? row.key;
  if (row.kind === 'address') return row.ip ?? row.key;
  return `${row.email} from ${row.ip}`;
}

/**
 * The counted sign-in failures and the locks they caused. Clear asks first, naming what it
 * clears and what that allows; the clear is audited.
 */
export function SignInLocks({ locks }: { locks: SignInLockRow[] }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<SignInLockRow | null>(null);

  if (locks.length === 0) return <p className="text-sm text-slate-600">No failed sign-ins in the last 15 minutes.</p>;

  const confirm = () => {
    if (!asking) return;
    startTransition(async () => {
      const result = await clearSignInLockAction({ key: asking.key });
      if (result.ok) {
        setError(null);
        setAsking(null);
      } else {
        setError(result.error.message);
      }
    });
  };
  const cancel = () => {
    if (pending) return;
    setAsking(null);
    setError(null);
  };

  return (
    <div className="-mx-5 overflow-x-auto">
      <table className="min-w-full text-sm" aria-label="Sign-in locks">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-5 py-2 font-medium">
              Counted for
            </th>
            <th scope="col" className="px-5 py-2 font-medium">
              Failures
            </th>
            <th scope="col" className="px-5 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-5 py-2 font-medium">
              Last failure
            </th>
            <th scope="col" className="px-5 py-2 text-right font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {locks.map((row) => (
            <tr key={row.key} data-testid={`sign-in-lock-${row.key}`}>
              <td className="px-5 py-3">
                <div className="text-xs text-slate-500">{KIND_LABELS[row.kind]}</div>
                <div className="font-medium text-slate-900">{describe(row)}</div>
              </td>
              <td className="px-5 py-3 tabular-nums">{row.failures}</td>
              <td className="px-5 py-3">
                {row.lockedUntil ? (
                  <span className="inline-flex flex-wrap items-center gap-2">
                    <Badge tone="red">Locked</Badge>
                    <span className="text-slate-600">
                      until <RelativeTime value={row.lockedUntil} />
                    </span>
                  </span>
                ) : (
                  <Badge tone="amber">Slowed</Badge>
                )}
              </td>
              <td className="px-5 py-3 text-slate-600">
                <RelativeTime value={row.lastFailedAt} />
              </td>
              <td className="px-5 py-3 text-right">
                <Button
                  variant="secondary"
                  disabled={pending}
                  onClick={() => {
                    setError(null);
                    setAsking(row);
                  }}
                  aria-label={`Clear ${KIND_LABELS[row.kind].toLowerCase()} ${describe(row)}`}
                >
                  Clear
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {asking ? (
        <ConfirmDialog
          open
          onClose={cancel}
          onConfirm={confirm}
          title={`Clear the failed sign-ins of ${describe(asking)}?`}
          description={`${asking.failures} failed ${asking.failures === 1 ? 'sign-in is' : 'sign-ins are'} forgotten${asking.lockedUntil ? ' and the lock ends now' : ''}, so ${describe(asking)} can try again at once. The clear is audited.`}
          confirmLabel="Clear"
          pending={pending}
          error={error}
        />
      ) : null}
    </div>
  );
}
