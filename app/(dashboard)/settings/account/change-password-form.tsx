'use client';

import { type FormEvent, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Notice } from '@/components/ui/card';
import { Field, FieldError, Input, invalidProps } from '@/components/ui/field';
import { changePasswordAction } from './actions';

const MIN_LENGTH = 12;

export function ChangePasswordForm() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const currentPassword = String(form.get('currentPassword') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    const confirmation = String(form.get('confirmPassword') ?? '');
    setDone(false);
    if (newPassword !== confirmation) {
      setError(null);
      setFieldErrors({ confirmPassword: 'The two new passwords differ' });
      return;
    }
    startTransition(async () => {
      const result = await changePasswordAction({ currentPassword, newPassword });
      if (!result.ok) {
        const details = (result.error.details ?? []) as { path: string; message: string }[];
        setFieldErrors(Object.fromEntries(details.map((detail) => [detail.path, detail.message])));
        setError(details.length > 0 ? null : result.error.message);
        return;
      }
      setError(null);
      setFieldErrors({});
      formElement.reset();
      if (!result.data.signedIn) {
        router.replace('/login');
        return;
      }
      setDone(true);
    });
  }

  return (
    <form onSubmit={onSubmit} className="max-w-md space-y-4" aria-label="Change password">
      {error ? <Notice tone="error">{error}</Notice> : null}
      {done ? <Notice tone="success">Your password is changed. Your other sessions are signed out.</Notice> : null}
      <Field label="Current password" htmlFor="current-password">
        <Input
          id="current-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          {...invalidProps('current-password', fieldErrors.currentPassword)}
        />
        <FieldError id="current-password" message={fieldErrors.currentPassword} />
      </Field>
      <Field label="New password" htmlFor="new-password" hint={`At least ${MIN_LENGTH} characters.`}>
        <Input
          id="new-password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_LENGTH}
          {...invalidProps('new-password', fieldErrors.newPassword)}
        />
        <FieldError id="new-password" message={fieldErrors.newPassword} />
      </Field>
      <Field label="Confirm new password" htmlFor="confirm-password">
        <Input
          id="confirm-password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          {...invalidProps('confirm-password', fieldErrors.confirmPassword)}
        />
        <FieldError id="confirm-password" message={fieldErrors.confirmPassword} />
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? 'Changing…' : 'Change password'}
      </Button>
    </form>
  );
}
