'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Select } from '@/components/ui/field';
import { resetPasswordAction, revokeSessionsAction, updateUserAction } from './actions';

type Role = 'ADMIN' | 'SUPPORT' | 'VIEWER';
const ROLE_LABELS: Record<Role, string> = { VIEWER: 'Viewer', SUPPORT: 'Support', ADMIN: 'Admin' };
const ROLE_POWERS: Record<Role, string> = {
  VIEWER: 'They will only be able to read.',
  SUPPORT: 'They will be able to replay deliveries and handle alerts, but not change settings.',
  ADMIN: 'They will be able to change every setting, people and API keys included, and reveal secrets.',
};

type Pending = { kind: 'role'; role: Role } | { kind: 'active'; active: boolean } | { kind: 'reset' } | { kind: 'revoke' };

/**
 * Role and access for one person. Nothing changes on a keystroke: choosing a role in the select
 * (ArrowDown on a focused select picks the next one at once) or pressing Deactivate only asks,
 * naming the person and the change; the change is sent when the dialog is confirmed, and the
 * select shows the role the server has until then. "Reset password" (a generated password, shown
 * once here) and "Sign out everywhere" ask the same way.
 */
export function UserRowActions({ id, email, role, active }: { id: string; email: string; role: Role; active: boolean }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<Pending | null>(null);
  const [done, setDone] = useState<{ password: string | null; message: string } | null>(null);

  const confirm = () => {
    if (!asking) return;
    if (asking.kind === 'reset' || asking.kind === 'revoke') {
      const kind = asking.kind;
      startTransition(async () => {
        const result = kind === 'reset' ? await resetPasswordAction({ id }) : await revokeSessionsAction({ id });
        if (!result.ok) {
          setError(result.error.message);
          return;
        }
        setError(null);
        setAsking(null);
        const password = 'generatedPassword' in result.data ? result.data.generatedPassword : null;
        setDone(kind === 'reset' ? { password, message: `New password of ${email}:` } : { password: null, message: `${email} is signed out everywhere.` });
      });
      return;
    }
    const changes = asking.kind === 'role' ? { role: asking.role } : { active: asking.active };
    startTransition(async () => {
      const result = await updateUserAction({ id, changes });
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

  const dialog =
    asking?.kind === 'reset'
      ? {
          title: `Reset the password of ${email}?`,
          description: `A new password is generated and shown to you once; pass it on safely. ${email} is signed out everywhere and their old password stops working. The reset is audited.`,
          confirmLabel: 'Reset password',
        }
      : asking?.kind === 'revoke'
        ? {
            title: `Sign ${email} out everywhere?`,
            description: `Every session of ${email} ends, on every device and browser. They can sign in again with their password.`,
            confirmLabel: 'Sign out everywhere',
          }
        : asking?.kind === 'role'
          ? {
              title: `Make ${email} ${asking.role === 'ADMIN' ? 'an' : 'a'} ${ROLE_LABELS[asking.role]}?`,
              description: `${email} changes from ${ROLE_LABELS[role]} to ${ROLE_LABELS[asking.role]}. ${ROLE_POWERS[asking.role]} The change is audited.`,
              confirmLabel: `Make ${ROLE_LABELS[asking.role]}`,
            }
          : asking?.kind === 'active'
            ? asking.active
              ? { title: `Reactivate ${email}?`, description: `${email} will be able to sign in again, as ${ROLE_LABELS[role]}.`, confirmLabel: 'Reactivate' }
              : {
                  title: `Deactivate ${email}?`,
                  description: `${email} is signed out everywhere and can no longer sign in. Their audit history stays; you can reactivate them later.`,
                  confirmLabel: 'Deactivate',
                }
            : null;

  /** Opens the confirmation dialog for an action, clearing the last error (and notice, unless kept). */
  const ask = (action: Pending, options: { keepNotice?: boolean } = {}) => {
    setError(null);
    if (!options.keepNotice) setDone(null);
    setAsking(action);
  };

  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <label className="sr-only" htmlFor={`role-${id}`}>
        Role of {email}
      </label>
      <Select
        id={`role-${id}`}
        className="w-32"
        value={asking?.kind === 'role' ? asking.role : role}
        disabled={pending || !active}
        onChange={(event) => {
          const next = event.target.value as Role;
          setError(null);
          setAsking(next === role ? null : { kind: 'role', role: next });
        }}
      >
        <option value="VIEWER">Viewer</option>
        <option value="SUPPORT">Support</option>
        <option value="ADMIN">Admin</option>
      </Select>
      <Button variant="secondary" disabled={pending || !active} onClick={() => ask({ kind: 'reset' })} aria-label={`Reset password of ${email}`}>
        Reset password
      </Button>
      <Button variant="secondary" disabled={pending || !active} onClick={() => ask({ kind: 'revoke' })} aria-label={`Sign out everywhere ${email}`}>
        Sign out everywhere
      </Button>
      <Button
        variant={active ? 'danger' : 'secondary'}
        disabled={pending}
        onClick={() => ask({ kind: 'active', active: !active }, { keepNotice: true })}
        aria-label={`${active ? 'Deactivate' : 'Reactivate'} ${email}`}
      >
        {active ? 'Deactivate' : 'Reactivate'}
      </Button>
      {done ? (
        <p className="w-full text-right text-sm text-slate-700" role="status" data-testid={`user-notice-${email}`}>
          {done.message}{' '}
          {done.password ? (
            <code className="select-all rounded bg-slate-100 px-1 font-mono" data-testid="reset-password">
              {done.password}
            </code>
          ) : null}
          {done.password ? ' (shown only now)' : null}
        </p>
      ) : null}
      {dialog ? (
        <ConfirmDialog
          open
          onClose={cancel}
          onConfirm={confirm}
          title={dialog.title}
          description={dialog.description}
          confirmLabel={dialog.confirmLabel}
          pending={pending}
          error={error}
        />
      ) : null}
    </div>
  );
}
