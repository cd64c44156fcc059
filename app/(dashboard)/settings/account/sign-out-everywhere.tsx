'use client';

import { signOut } from 'next-auth/react';
import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { signOutEverywhereAction } from './actions';

export function SignOutEverywhere() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = () =>
    startTransition(async () => {
      const result = await signOutEverywhereAction({ confirm: true });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      // This session ended with the others; clear its cookie too.
      await signOut({ redirect: false });
      router.replace('/login');
    });

  return (
    <>
      <Button variant="danger" onClick={() => setAsking(true)} disabled={pending}>
        Sign out everywhere
      </Button>
      <ConfirmDialog
        open={asking}
        onClose={() => {
          if (pending) return;
          setAsking(false);
          setError(null);
        }}
        onConfirm={confirm}
        title="Sign out everywhere?"
        description="Every session of yours ends, on every device and browser, this one included. You will need to sign in again."
        confirmLabel="Sign out everywhere"
        pending={pending}
        error={error}
      />
    </>
  );
}
