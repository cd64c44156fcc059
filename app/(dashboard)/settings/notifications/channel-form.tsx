'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Notice } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import { ALERT_KIND_LABELS, ALERT_KINDS, type AlertKind } from '@/lib/alerts/alert-kinds';
import { CHANNEL_TYPE_LABELS, CHANNEL_TYPES, type ChannelType } from '@/lib/notifications/channel-types';
import { createChannelAction, updateChannelAction } from './actions';

/** What the edit form starts from (a ChannelView without its dates). */
export interface EditableChannel {
  id: string;
  name: string;
  type: ChannelType;
  urlHint: string | null;
  to: string[];
  kinds: AlertKind[] | null;
}

const URL_HINTS: Record<Exclude<ChannelType, 'email'>, string> = {
  slack: 'The incoming-webhook URL Slack gave you (https://hooks.slack.com/services/…). Stored encrypted; only its end is shown later.',
  webhook: 'Hookyard POSTs {"type": "alert.raised" | "alert.resolved", "alert": {…}}, signed per Standard Webhooks with the channel’s own secret.',
};

/** Addresses as people paste them: separated by commas, semicolons, spaces or lines. */
const splitAddresses = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);

/**
 * Create a channel, or edit one (`channel` given; its type stays). Kinds default to "all kinds";
 * choosing "only some" shows a checkbox per kind. A webhook channel's signing secret is shown once.
 */
export function ChannelForm({ channel, emailReady, onDone }: { channel?: EditableChannel; emailReady: boolean; onDone?: () => void }) {
  const router = useRouter();
  const prefix = channel ? `edit-${channel.id}` : 'new-channel';
  const [type, setType] = useState<ChannelType>(channel?.type ?? 'slack');
  const [allKinds, setAllKinds] = useState(channel ? channel.kinds === null : true);
  const [kinds, setKinds] = useState<Set<AlertKind>>(new Set(channel?.kinds ?? []));
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; signingSecret: string | null } | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const url = String(form.get('url') ?? '').trim();
    const to = splitAddresses(String(form.get('to') ?? ''));
    const chosen = allKinds ? null : ALERT_KINDS.filter((kind) => kinds.has(kind));
    if (chosen && chosen.length === 0) {
      setError('Pick at least one alert kind, or choose "All kinds".');
      return;
    }
    startTransition(async () => {
      const name = String(form.get('name') ?? '');
      const result = channel
        ? await updateChannelAction({
            id: channel.id,
            name,
            kinds: chosen,
            ...(type === 'email' ? { to } : url ? { url } : {}),
          })
        : await createChannelAction({ name, type, kinds: chosen, ...(type === 'email' ? { to } : { url }) });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      if (!channel && 'signingSecret' in result.data) {
        setCreated({ name: result.data.name, signingSecret: result.data.signingSecret });
        formElement.reset();
        setAllKinds(true);
        setKinds(new Set());
      }
      router.refresh();
      onDone?.();
    });
  }

  const toggleKind = (kind: AlertKind, on: boolean) =>
    setKinds((current) => {
      const next = new Set(current);
      if (on) next.add(kind);
      else next.delete(kind);
      return next;
    });

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label={channel ? `Edit ${channel.name}` : 'Add a notification channel'}>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {created ? (
        <Notice tone="success">
          Channel “{created.name}” added.
          {created.signingSecret ? (
            <>
              {' '}
              Its signing secret, shown only now, for your receiver to verify each request:{' '}
              <code className="select-all break-all rounded bg-white px-1 font-mono" data-testid="new-channel-secret">
                {created.signingSecret}
              </code>
            </>
          ) : null}
        </Notice>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor={`${prefix}-name`}>
          <Input id={`${prefix}-name`} name="name" required maxLength={200} defaultValue={channel?.name} placeholder="#ops-alerts" />
        </Field>
        <Field label="Type" htmlFor={`${prefix}-type`} hint={channel ? 'A channel keeps its type; add another channel for another type.' : undefined}>
          <Select id={`${prefix}-type`} name="type" value={type} disabled={Boolean(channel)} onChange={(event) => setType(event.target.value as ChannelType)}>
            {CHANNEL_TYPES.map((option) => (
              <option key={option} value={option}>
                {CHANNEL_TYPE_LABELS[option]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {type === 'email' ? (
        <Field
          label="Recipients"
          htmlFor={`${prefix}-to`}
          hint={
            emailReady
              ? 'Addresses separated by commas or new lines.'
              : 'Email needs HOOKYARD_SMTP_URL and HOOKYARD_EMAIL_FROM on the dashboard and the worker.'
          }
        >
          <textarea
            id={`${prefix}-to`}
            name="to"
            rows={2}
            required
            defaultValue={channel?.to.join(', ')}
            placeholder="oncall@example.com, team@example.com"
            className="block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600"
          />
        </Field>
      ) : (
        <Field
          label={type === 'slack' ? 'Slack webhook URL' : 'Webhook URL'}
          htmlFor={`${prefix}-url`}
          hint={channel?.urlHint ? `Now ${channel.urlHint}. Leave empty to keep it.` : URL_HINTS[type]}
        >
          <Input
            id={`${prefix}-url`}
            name="url"
            type="url"
            required={!channel}
            maxLength={2048}
            placeholder={type === 'slack' ? 'https://hooks.slack.com/services/…' : 'https://ops.example.com/hookyard-alerts'}
          />
        </Field>
      )}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Alert kinds</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name={`${prefix}-scope`} checked={allKinds} onChange={() => setAllKinds(true)} />
            All kinds, including ones added later
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name={`${prefix}-scope`} checked={!allKinds} onChange={() => setAllKinds(false)} />
            Only these
          </label>
        </div>
        {!allKinds ? (
          <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
            {ALERT_KINDS.map((kind) => (
              <label key={kind} className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" checked={kinds.has(kind)} onChange={(event) => toggleKind(kind, event.target.checked)} />
                {ALERT_KIND_LABELS[kind]}
              </label>
            ))}
          </div>
        ) : null}
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : channel ? 'Save changes' : 'Add channel'}
      </Button>
    </form>
  );
}
