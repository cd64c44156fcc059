'use client';

import { type FormEvent, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Notice } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Field, Input, Select } from '@/components/ui/field';
import { createApiKeyAction, revokeApiKeyAction } from './actions';

export function CreateApiKeyForm() {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [key, setKey] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = Number(form.get('expiresInDays') ?? 0);
    startTransition(async () => {
      const result = await createApiKeyAction({
        name: String(form.get('name') ?? ''),
        role: String(form.get('role') ?? 'VIEWER'),
        expiresInDays: days > 0 ? days : undefined,
      });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      setKey(result.data.key);
      formElement.reset();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label="Create API key">
      {error ? <Notice tone="error">{error}</Notice> : null}
      {key ? (
        <Notice tone="success">
          Copy the key now; it is not shown again:{' '}
          <code className="select-all break-all rounded bg-white px-1 font-mono" data-testid="new-api-key">
            {key}
          </code>
        </Notice>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Name" htmlFor="key-name">
          <Input id="key-name" name="name" required placeholder="deploy-script" />
        </Field>
        <Field label="Role" htmlFor="key-role">
          <Select id="key-role" name="role" defaultValue="VIEWER">
            <option value="VIEWER">Viewer</option>
            <option value="SUPPORT">Support</option>
            <option value="ADMIN">Admin</option>
          </Select>
        </Field>
        <Field label="Expires after (days)" htmlFor="key-expiry" hint="Leave empty for a key that does not expire.">
          <Input id="key-expiry" name="expiresInDays" type="number" min={1} max={3650} />
        </Field>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create API key'}
      </Button>
    </form>
  );
}

/** Revoke asks first in the app's own dialog (the browser's confirm() cannot be styled, named or tested like the rest). */
export function RevokeApiKeyButton({ id, name }: { id: string; name: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  return (
    <>
      <Button variant="danger" disabled={pending} aria-label={`Revoke ${name}`} onClick={() => setAsking(true)}>
        Revoke
      </Button>
      <ConfirmDialog
        open={asking}
        onClose={() => {
          if (pending) return;
          setAsking(false);
          setError(null);
        }}
        onConfirm={() =>
          startTransition(async () => {
            const result = await revokeApiKeyAction({ id });
            if (result.ok) setAsking(false);
            setError(result.ok ? null : result.error.message);
          })
        }
        title={`Revoke the key "${name}"?`}
        description={`Scripts using "${name}" stop working at once. This cannot be undone; create a new key to replace it.`}
        confirmLabel="Revoke key"
        pending={pending}
        error={error}
      />
    </>
  );
}
