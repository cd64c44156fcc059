'use client';

import { type FormEvent, useState, useTransition } from 'react';
import { RelativeTime } from '@/components/relative-time';
import { Button } from '@/components/ui/button';
import { Badge, Card, Notice } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Field, Input } from '@/components/ui/field';
import { TBody, THead, Table, Td, Th } from '@/components/ui/table';
import type { ActionResult } from '@/lib/http/action-result';
import { SecretStatusBadge } from './badges';
import { LocalDateTime } from './date-time';

export interface SecretRowData {
  id: string;
  label: string | null;
  hint: string;
  status: 'active' | 'expiring' | 'expired' | 'revoked';
  createdAt: Date | string;
  expiresAt: Date | string | null;
  revokedAt: Date | string | null;
  lastMatchedAt: Date | string | null;
}

type Result<T> = Promise<ActionResult<T>>;

/** Server actions, passed in by the page (only for admins); each checks the role again on the server. */
export interface SecretActions {
  add?: (input: { ownerId: string; value?: string; label?: string }) => Result<{ id: string; hint: string; value: string }>;
  rotate: (input: {
    ownerId: string;
    value?: string;
    label?: string;
    graceSeconds?: number;
  }) => Result<{ id: string; hint: string; value: string; expiring: number }>;
  reveal: (input: { id: string }) => Result<{ id: string; value: string }>;
  revoke: (input: { id: string; ownerId: string }) => Result<{ id: string; status: string }>;
}

const GRACE_OPTIONS = [
  { seconds: 3600, label: '1 hour', detail: 'A quick switch you are doing now' },
  { seconds: 86_400, label: '24 hours', detail: 'Recommended: time to update the sender', recommended: true },
  { seconds: 7 * 86_400, label: '7 days', detail: 'For senders someone else updates' },
  { seconds: 0, label: 'Immediately', detail: 'The old secrets stop working now' },
] as const;

function SecretValueBox({ value, onHide, testId }: { value: string; onHide?: () => void; testId: string }) {
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-md bg-slate-900 px-3 py-2">
      <code data-testid={testId} className="min-w-0 flex-1 select-all break-all font-mono text-xs text-emerald-200">
        {value}
      </code>
      <CopyButton value={value} label="Copy secret value" />
      {onHide ? (
        <button
          type="button"
          onClick={onHide}
          className="rounded-md px-2.5 py-1.5 text-xs font-semibold text-slate-200 ring-1 ring-inset ring-slate-600 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400"
        >
          Hide
        </button>
      ) : null}
    </div>
  );
}

function OneTimeValue({ value, note }: { value: string; note?: string }) {
  return (
    <div className="space-y-2">
      <Notice tone="success">Copy the value now: it is shown only this once.{note ? ` ${note}` : ''}</Notice>
      <SecretValueBox value={value} testId="new-secret-value" />
    </div>
  );
}

function AddSecretDialog({
  ownerId,
  add,
  secretLabel,
  onClose,
}: {
  ownerId: string;
  add: NonNullable<SecretActions['add']>;
  secretLabel: string;
  onClose: () => void;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = String(form.get('value') ?? '').trim();
    const label = String(form.get('label') ?? '').trim();
    startTransition(async () => {
      const result = await add({ ownerId, value: value || undefined, label: label || undefined });
      if (!result.ok) return setError(result.error.message.replace(/^value: /, ''));
      setError(null);
      setCreated(result.data.value);
    });
  }
  return (
    <Dialog
      open
      onClose={onClose}
      title="Add a secret"
      description="The new secret is active at once, next to the existing ones (useful while a provider rolls its secret)."
      footer={
        created ? (
          <Button onClick={onClose}>Done</Button>
        ) : (
          <>
            <Button variant="secondary" onClick={onClose} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" form="add-secret-form" disabled={pending}>
              {pending ? 'Adding…' : 'Add secret'}
            </Button>
          </>
        )
      }
    >
      {created ? (
        <OneTimeValue value={created} />
      ) : (
        <form id="add-secret-form" onSubmit={onSubmit} className="space-y-4">
          {error ? <Notice tone="error">{error}</Notice> : null}
          <Field
            label={secretLabel}
            htmlFor="secret-value"
            hint="Paste it from the provider. Leave empty to generate a random one, for senders you configure yourself."
          >
            <Input id="secret-value" name="value" autoComplete="off" spellCheck={false} className="font-mono" autoFocus />
          </Field>
          <Field label="Label" htmlFor="secret-label" hint="Optional, e.g. “prod endpoint” or “rolled 2026-11”.">
            <Input id="secret-label" name="label" maxLength={100} autoComplete="off" />
          </Field>
        </form>
      )}
    </Dialog>
  );
}

function RotateSecretDialog({
  ownerId,
  rotate,
  secretLabel,
  generatedHint,
  onClose,
}: {
  ownerId: string;
  rotate: SecretActions['rotate'];
  secretLabel: string;
  generatedHint: string;
  onClose: () => void;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ value: string; note: string } | null>(null);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = String(form.get('value') ?? '').trim();
    const label = String(form.get('label') ?? '').trim();
    const graceSeconds = Number(form.get('grace') ?? 86_400);
    const grace = GRACE_OPTIONS.find((option) => option.seconds === graceSeconds);
    startTransition(async () => {
      const result = await rotate({ ownerId, value: value || undefined, label: label || undefined, graceSeconds });
      if (!result.ok) return setError(result.error.message.replace(/^value: /, ''));
      setError(null);
      const count = result.data.expiring;
      const note =
        count === 0
          ? ''
          : graceSeconds === 0
            ? `The previous ${count === 1 ? 'secret has' : `${count} secrets have`} stopped working.`
            : `The previous ${count === 1 ? 'secret keeps' : `${count} secrets keep`} working for ${grace?.label ?? `${graceSeconds} s`}.`;
      setCreated({ value: result.data.value, note });
    });
  }
  return (
    <Dialog
      open
      onClose={onClose}
      title="Rotate secret"
      description="A new secret becomes active now. The current ones keep working for a grace period, so nothing is refused while you switch over."
      footer={
        created ? (
          <Button onClick={onClose}>Done</Button>
        ) : (
          <>
            <Button variant="secondary" onClick={onClose} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" form="rotate-secret-form" disabled={pending}>
              {pending ? 'Rotating…' : 'Rotate'}
            </Button>
          </>
        )
      }
    >
      {created ? (
        <OneTimeValue value={created.value} note={created.note} />
      ) : (
        <form id="rotate-secret-form" onSubmit={onSubmit} className="space-y-4">
          {error ? <Notice tone="error">{error}</Notice> : null}
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">Keep the current secrets working for</legend>
            <div className="mt-2 grid grid-cols-2 gap-2">
              {GRACE_OPTIONS.map((option) => (
                <label
                  key={option.seconds}
                  className="flex cursor-pointer items-start gap-2 rounded-md px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 has-[:checked]:bg-indigo-50 has-[:checked]:ring-2 has-[:checked]:ring-indigo-600"
                >
                  <input
                    type="radio"
                    name="grace"
                    value={option.seconds}
                    defaultChecked={'recommended' in option}
                    className="mt-0.5 accent-indigo-600"
                    aria-describedby={`grace-${option.seconds}`}
                  />
                  <span>
                    <span className="block font-medium text-slate-800">{option.label}</span>
                    <span id={`grace-${option.seconds}`} className="block text-xs text-slate-500">
                      {option.detail}
                    </span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <Field label={`New ${secretLabel.charAt(0).toLowerCase()}${secretLabel.slice(1)}`} htmlFor="rotate-value" hint={generatedHint}>
            <Input id="rotate-value" name="value" autoComplete="off" spellCheck={false} className="font-mono" />
          </Field>
          <Field label="Label" htmlFor="rotate-label" hint="Optional.">
            <Input id="rotate-label" name="label" maxLength={100} autoComplete="off" />
          </Field>
        </form>
      )}
    </Dialog>
  );
}

function RevealButton({
  id,
  hint,
  reveal,
  onRevealed,
}: {
  id: string;
  hint: string;
  reveal: SecretActions['reveal'];
  onRevealed: (value: string | null, error?: string) => void;
}) {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="secondary"
      className="px-2.5 py-1.5 text-xs"
      disabled={pending}
      aria-label={`Reveal secret ${hint}`}
      title="Shows the value; the reveal is recorded in the audit log"
      onClick={() =>
        startTransition(async () => {
          const result = await reveal({ id });
          if (result.ok) onRevealed(result.data.value);
          else onRevealed(null, result.error.message);
        })
      }
    >
      {pending ? 'Revealing…' : 'Reveal'}
    </Button>
  );
}

export function SecretsPanel({
  ownerId,
  ownerKind,
  secrets,
  secretLabel,
  actions,
  title = 'Secrets',
  description,
  generatedHint = 'Leave empty to generate a random one.',
  emptyHint,
}: {
  ownerId: string;
  ownerKind: 'source' | 'destination';
  secrets: SecretRowData[];
  secretLabel: string;
  /** Absent for non-admins: the panel is then read-only and shows masked hints only. */
  actions?: SecretActions;
  title?: string;
  description?: string;
  generatedHint?: string;
  emptyHint?: string;
}) {
  const [dialog, setDialog] = useState<'add' | 'rotate' | null>(null);
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [revoking, setRevoking] = useState<SecretRowData | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const lastMatched = secrets.reduce<SecretRowData | null>((best, secret) => {
    if (!secret.lastMatchedAt) return best;
    if (!best?.lastMatchedAt) return secret;
    return new Date(secret.lastMatchedAt) > new Date(best.lastMatchedAt) ? secret : best;
  }, null);
  const showMatched = ownerKind === 'source';
  const activeCount = secrets.filter((secret) => secret.status === 'active' || secret.status === 'expiring').length;
  const hasActive = activeCount > 0;
  // A destination's last working signing secret cannot be revoked (forwards could not be signed): rotate instead.
  const revocable = (secret: SecretRowData) =>
    secret.status !== 'revoked' && !(ownerKind === 'destination' && activeCount <= 1 && (secret.status === 'active' || secret.status === 'expiring'));

  const headerActions = actions ? (
    <div className="flex shrink-0 gap-2">
      {actions.add ? (
        <Button variant="secondary" onClick={() => setDialog('add')}>
          Add secret
        </Button>
      ) : null}
      {hasActive || !actions.add ? <Button onClick={() => setDialog('rotate')}>Rotate</Button> : null}
    </div>
  ) : null;

  return (
    <Card title={title} description={description} actions={headerActions}>
      {rowError ? (
        <div className="mb-3">
          <Notice tone="error">{rowError}</Notice>
        </div>
      ) : null}
      {secrets.length === 0 ? (
        <EmptyState
          icon="key"
          compact
          title="No secrets yet"
          description={emptyHint ?? 'Requests cannot be verified until a secret is added.'}
          action={
            actions?.add ? (
              <Button onClick={() => setDialog('add')}>Add secret</Button>
            ) : !actions ? (
              <span className="text-sm text-slate-500">An admin can add one.</span>
            ) : null
          }
        />
      ) : (
        <Table bleed caption={`${title} of this ${ownerKind}`}>
          <THead>
            <Th>Secret</Th>
            <Th>Status</Th>
            <Th>Created</Th>
            <Th>Expires</Th>
            {showMatched ? <Th className="hidden xl:table-cell">Last matched</Th> : null}
            {actions ? (
              <Th align="right">
                <span className="sr-only">Actions</span>
              </Th>
            ) : null}
          </THead>
          <TBody>
            {secrets.map((secret) => {
              const value = revealed[secret.id];
              const ended = secret.status === 'revoked' || secret.status === 'expired';
              return [
                <tr key={secret.id} data-testid={`secret-row-${secret.hint}`} className={ended ? 'text-slate-500' : undefined}>
                  <Td>
                    <code className="font-mono text-sm" data-testid="secret-hint">
                      {secret.hint}
                    </code>
                    <div className="text-xs text-slate-500">{secret.label ?? <span className="text-slate-500">No label</span>}</div>
                  </Td>
                  <Td>
                    <div className="flex flex-wrap items-center gap-1.5 whitespace-nowrap">
                      <SecretStatusBadge status={secret.status} />
                      {showMatched && lastMatched?.id === secret.id ? <Badge tone="indigo">Last matched</Badge> : null}
                    </div>
                    {showMatched && secret.lastMatchedAt ? (
                      <div className="mt-1 text-xs text-slate-500 xl:hidden">
                        matched <RelativeTime value={secret.lastMatchedAt} />
                      </div>
                    ) : null}
                  </Td>
                  <Td className="whitespace-nowrap">
                    <RelativeTime value={secret.createdAt} />
                    <div className="text-xs text-slate-500">
                      <LocalDateTime value={secret.createdAt} />
                    </div>
                  </Td>
                  <Td className="whitespace-nowrap">
                    {secret.revokedAt ? (
                      <>
                        <span className="text-red-700">Revoked </span>
                        <RelativeTime value={secret.revokedAt} />
                        <div className="text-xs text-slate-500">
                          <LocalDateTime value={secret.revokedAt} />
                        </div>
                      </>
                    ) : secret.expiresAt ? (
                      <>
                        <RelativeTime value={secret.expiresAt} />
                        <div className="text-xs text-slate-500">
                          <LocalDateTime value={secret.expiresAt} />
                        </div>
                      </>
                    ) : (
                      <span className="text-slate-500">Never</span>
                    )}
                  </Td>
                  {showMatched ? (
                    <Td className="hidden whitespace-nowrap text-slate-600 xl:table-cell">
                      <RelativeTime value={secret.lastMatchedAt} />
                    </Td>
                  ) : null}
                  {actions ? (
                    <Td align="right">
                      <div className="flex justify-end gap-2">
                        {value === undefined ? (
                          <RevealButton
                            id={secret.id}
                            hint={secret.hint}
                            reveal={actions.reveal}
                            onRevealed={(revealedValue, error) => {
                              setRowError(error ?? null);
                              if (revealedValue !== null) setRevealed((current) => ({ ...current, [secret.id]: revealedValue }));
                            }}
                          />
                        ) : null}
                        {revocable(secret) ? (
                          <Button
                            variant="danger"
                            className="px-2.5 py-1.5 text-xs"
                            aria-label={`Revoke secret ${secret.hint}`}
                            onClick={() => {
                              setRevokeError(null);
                              setRevoking(secret);
                            }}
                          >
                            Revoke
                          </Button>
                        ) : null}
                      </div>
                    </Td>
                  ) : null}
                </tr>,
                value !== undefined ? (
                  <tr key={`${secret.id}-value`} className="bg-slate-50">
                    <td colSpan={showMatched ? 6 : 5} className="px-5 py-3">
                      <SecretValueBox
                        value={value}
                        testId="revealed-secret-value"
                        onHide={() =>
                          setRevealed((current) => {
                            const next = { ...current };
                            delete next[secret.id];
                            return next;
                          })
                        }
                      />
                    </td>
                  </tr>
                ) : null,
              ];
            })}
          </TBody>
        </Table>
      )}

      {actions && dialog === 'add' && actions.add ? (
        <AddSecretDialog ownerId={ownerId} add={actions.add} secretLabel={secretLabel} onClose={() => setDialog(null)} />
      ) : null}
      {actions && dialog === 'rotate' ? (
        <RotateSecretDialog ownerId={ownerId} rotate={actions.rotate} secretLabel={secretLabel} generatedHint={generatedHint} onClose={() => setDialog(null)} />
      ) : null}
      {actions ? (
        <ConfirmDialog
          open={revoking !== null}
          onClose={() => setRevoking(null)}
          title={`Revoke secret ${revoking?.hint ?? ''}?`}
          description={
            ownerKind === 'source'
              ? 'Requests signed with this secret are refused from now on. This cannot be undone; the secret stays listed for the audit trail.'
              : 'Forwards stop carrying a signature made with this secret. This cannot be undone.'
          }
          confirmLabel="Revoke secret"
          pending={pending}
          error={revokeError}
          onConfirm={() => {
            const target = revoking;
            if (!target) return;
            startTransition(async () => {
              const result = await actions.revoke({ id: target.id, ownerId });
              if (!result.ok) return setRevokeError(result.error.message);
              setRevealed((current) => {
                const next = { ...current };
                delete next[target.id];
                return next;
              });
              setRevoking(null);
            });
          }}
        />
      ) : null}
    </Card>
  );
}
