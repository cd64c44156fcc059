'use client';

import { type FormEvent, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Notice } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import { createUserAction } from './actions';

export function CreateUserForm() {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ email: string; password: string | null } | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    startTransition(async () => {
      const result = await createUserAction({
        email: String(form.get('email') ?? ''),
        name: String(form.get('name') ?? '') || undefined,
        role: String(form.get('role') ?? 'VIEWER'),
      });
      if (!result.ok) {
        setError(result.error.message);
        setCreated(null);
        return;
      }
      setError(null);
      setCreated({ email: result.data.user.email, password: result.data.generatedPassword });
      formElement.reset();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label="Create user">
      {error ? <Notice tone="error">{error}</Notice> : null}
      {created ? (
        <Notice tone="success">
          Created {created.email}.{' '}
          {created.password ? (
            <>
              Their password is{' '}
              <code className="select-all rounded bg-white px-1 font-mono" data-testid="generated-password">
                {created.password}
              </code>
              . It is shown only now: pass it on safely.
            </>
          ) : null}
        </Notice>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Email" htmlFor="new-email">
          <Input id="new-email" name="email" type="email" required placeholder="jane@example.com" />
        </Field>
        <Field label="Name" htmlFor="new-name">
          <Input id="new-name" name="name" placeholder="Optional" />
        </Field>
        <Field label="Role" htmlFor="new-role">
          <Select id="new-role" name="role" defaultValue="SUPPORT">
            <option value="VIEWER">Viewer: reads everything except secrets</option>
            <option value="SUPPORT">Support: also replays and handles alerts</option>
            <option value="ADMIN">Admin: everything</option>
          </Select>
        </Field>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create user'}
      </Button>
    </form>
  );
}
