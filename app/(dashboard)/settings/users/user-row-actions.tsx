'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Select } from '@/components/ui/field';
import { updateUserAction } from './actions';

type Role = 'ADMIN' | 'SUPPORT' | 'VIEWER';
const ROLE_LABELS: Record<Role, string> = { VIEWER: 'Viewer', SUPPORT: 'Support', ADMIN: 'Admin' };
const ROLE_POWERS: Record<Role, string> = {
  VIEWER: 'They will only be able to read.',
  SUPPORT: 'They will be able to replay deliveries and handle alerts, but not change settings.',
  ADMIN: 'They will be able to change every setting, people and API keys included, and reveal secrets.',
};

type Pending = { kind: 'role'; role: Role } | { kind: 'active'; active: boolean };

/**
 * Role and access for one person. Nothing changes on a keystroke: choosing a role in the select
 * (ArrowDown on a focused select picks the next one at once) or pressing Deactivate only asks,
 * naming the person and the change; the change is sent when the dialog is confirmed, and the
 * select shows the role the server has until then.
 */
export function UserRowActions({ id, email, role, active }: { id: string; email: string; role: Role; active: boolean }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<Pending | null>(null);

  const confirm = () => {
    if (!asking) return;
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
    asking?.kind === 'role'
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
      <Button
        variant={active ? 'danger' : 'secondary'}
        disabled={pending}
        onClick={() => {
          setError(null);
          setAsking({ kind: 'active', active: !active });
        }}
        aria-label={`${active ? 'Deactivate' : 'Reactivate'} ${email}`}
      >
        {active ? 'Deactivate' : 'Reactivate'}
      </Button>
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
