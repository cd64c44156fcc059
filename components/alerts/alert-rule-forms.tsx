'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, type ReactNode, useId, useState, useTransition } from 'react';
import { formErrorsFrom, type FormErrors } from '@/components/sources/action-errors';
import { Button } from '@/components/ui/button';
import { FieldError, Input, invalidProps, invalidRing, Select } from '@/components/ui/field';
import type { ActionResult } from '@/lib/http/action-result';

/** A server action that saves part of a target's alertSettings (ADMIN, checked on the server). */
export type SaveAlertSettings = (input: { id: string; alertSettings: Record<string, unknown> }) => Promise<ActionResult<unknown>>;

export interface RuleField {
  key: string;
  label: string;
  unit: string;
  /** In the form's unit (percent, minutes …). */
  value: number;
  defaultValue: number;
  min: number;
  max: number;
  step?: number;
  /** The form's unit → what the API takes. */
  toSetting: (value: number) => number;
}

function Status({ message, tone }: { message: string | null; tone: 'ok' | 'error' }) {
  if (!message) return null;
  return (
    <p role={tone === 'error' ? 'alert' : 'status'} className={`text-sm ${tone === 'error' ? 'font-medium text-red-700' : 'text-emerald-700'}`}>
      {message}
    </p>
  );
}

function RuleFrame({ title, description, children }: { title: string; description: ReactNode; children: ReactNode }) {
  return (
    <div className="grid gap-x-8 gap-y-3 border-t border-slate-200 py-5 first:border-t-0 first:pt-0 last:pb-0 lg:grid-cols-3">
      <div>
        <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
        <p className="mt-1 text-sm text-slate-500">{description}</p>
      </div>
      <div className="space-y-3 lg:col-span-2">{children}</div>
    </div>
  );
}

/** Saves part of alertSettings and spreads a refusal over the fields (`knownFields`, after `stripPrefix`). */
function useSave(save: SaveAlertSettings, targetId: string, knownFields: string[], stripPrefix?: string) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, form: null });
  const [saved, setSaved] = useState<string | null>(null);
  const run = (alertSettings: Record<string, unknown>, done: string) => {
    setSaved(null);
    startTransition(async () => {
      const result = await save({ id: targetId, alertSettings });
      if (!result.ok) {
        setErrors(formErrorsFrom(result.error, { knownFields, ...(stripPrefix ? { stripPrefix } : {}) }));
        return;
      }
      setErrors({ fields: {}, form: null });
      setSaved(done);
      router.refresh();
    });
  };
  return { pending, errors, saved, run };
}

/** One threshold rule: on/off, its numbers with their defaults, Save and Reset to defaults. */
export function RuleForm({
  targetId,
  rule,
  title,
  description,
  enabled,
  enabledLabel,
  fields,
  canEdit,
  save,
}: {
  targetId: string;
  /** The rule's key in alertSettings (failureRate, backlogAge, rejectionSpike). */
  rule: string;
  title: string;
  description: ReactNode;
  enabled: boolean;
  enabledLabel: string;
  fields: RuleField[];
  canEdit: boolean;
  save: SaveAlertSettings;
}) {
  const uid = useId();
  const idOf = (key: string) => `${uid}-${key}`;
  const [on, setOn] = useState(enabled);
  const { pending, errors, saved, run } = useSave(
    save,
    targetId,
    fields.map((field) => field.key),
    `alertSettings.${rule}.`,
  );
  const defaults = fields.map((field) => `${field.label.toLowerCase()} ${field.defaultValue} ${field.unit}`).join(', ');

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values: Record<string, unknown> = { enabled: on };
    for (const field of fields) values[field.key] = field.toSetting(Number(form.get(field.key)));
    run({ [rule]: values }, `${title}: saved.`);
  };

  return (
    <RuleFrame title={title} description={description}>
      <form onSubmit={submit} aria-label={`${title} alert`} className="space-y-3" data-testid={`rule-${rule}`}>
        <fieldset disabled={!canEdit || pending} className="space-y-3">
          <legend className="sr-only">{title}</legend>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" checked={on} onChange={(event) => setOn(event.target.checked)} className="size-4 rounded border-slate-300 text-indigo-600" />
            {enabledLabel}
          </label>
          <div className="grid gap-3 sm:grid-cols-3">
            {fields.map((field) => (
              <div key={field.key} className="space-y-1">
                <label htmlFor={idOf(field.key)} className="block text-sm font-medium text-slate-700">
                  {field.label}
                </label>
                <div className="flex items-center gap-2">
                  <Input
                    id={idOf(field.key)}
                    name={field.key}
                    type="number"
                    inputMode="decimal"
                    required
                    min={field.min}
                    max={field.max}
                    step={field.step ?? 1}
                    defaultValue={field.value}
                    className={`w-24 ${invalidRing(errors.fields[field.key])}`}
                    {...invalidProps(idOf(field.key), errors.fields[field.key])}
                  />
                  <span className="text-sm text-slate-500">{field.unit}</span>
                </div>
                <FieldError id={idOf(field.key)} message={errors.fields[field.key]} />
              </div>
            ))}
          </div>
          <p className="text-xs text-slate-500">Defaults: {defaults}.</p>
        </fieldset>
        {canEdit ? (
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={pending}>
              {pending ? 'Saving…' : `Save ${title.toLowerCase()}`}
            </Button>
            <Button variant="secondary" disabled={pending} onClick={() => run({ [rule]: null }, `${title}: back to the defaults.`)}>
              Reset to defaults
            </Button>
            <Status message={errors.form} tone="error" />
            <Status message={saved} tone="ok" />
          </div>
        ) : null}
      </form>
    </RuleFrame>
  );
}

const UNITS = [
  { id: 'seconds', label: 'seconds', size: 1 },
  { id: 'minutes', label: 'minutes', size: 60 },
  { id: 'hours', label: 'hours', size: 3600 },
  { id: 'days', label: 'days', size: 86_400 },
] as const;

/** The largest unit that shows the number of seconds whole: 3600 → 1 hours, 90 → 90 seconds. */
function splitSeconds(seconds: number): { amount: number; unit: (typeof UNITS)[number]['id'] } {
  for (const unit of [...UNITS].reverse()) if (seconds % unit.size === 0) return { amount: seconds / unit.size, unit: unit.id };
  return { amount: seconds, unit: 'seconds' };
}

/** A source's silence watch: `expectedEvery`, or off. */
export function SilenceForm({
  targetId,
  expectedEvery,
  canEdit,
  save,
  state,
}: {
  targetId: string;
  expectedEvery: number | null;
  canEdit: boolean;
  save: SaveAlertSettings;
  /** What the watch sees now (last event, silent since). */
  state: ReactNode;
}) {
  const uid = useId();
  const initial = splitSeconds(expectedEvery ?? 3600);
  const [on, setOn] = useState(expectedEvery !== null);
  const { pending, errors, saved, run } = useSave(save, targetId, ['alertSettings.expectedEvery']);
  const error = errors.fields['alertSettings.expectedEvery'] ?? null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const size = UNITS.find((unit) => unit.id === form.get('unit'))?.size ?? 1;
    run({ expectedEvery: on ? Math.round(Number(form.get('amount')) * size) : null }, on ? 'Silence watch saved.' : 'Silence watch off.');
  };

  return (
    <RuleFrame
      title="Silence"
      description="Alert when the source accepts no event for longer than expected: the provider stopped sending, or disabled your endpoint. Off by default."
    >
      <form onSubmit={submit} aria-label="Silence alert" className="space-y-3" data-testid="rule-expectedEvery">
        <fieldset disabled={!canEdit || pending} className="space-y-3">
          <legend className="sr-only">Silence</legend>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" checked={on} onChange={(event) => setOn(event.target.checked)} className="size-4 rounded border-slate-300 text-indigo-600" />
            Watch for silence
          </label>
          <div className="flex flex-wrap items-end gap-2">
            <div className="space-y-1">
              <label htmlFor={`${uid}-amount`} className="block text-sm font-medium text-slate-700">
                Expect an event at least every
              </label>
              <Input
                id={`${uid}-amount`}
                name="amount"
                type="number"
                required={on}
                disabled={!on}
                min={1}
                step={1}
                defaultValue={initial.amount}
                className={`w-24 ${invalidRing(error ?? undefined)}`}
                {...invalidProps(`${uid}-amount`, error ?? undefined)}
              />
            </div>
            <div className="space-y-1">
              <label htmlFor={`${uid}-unit`} className="sr-only">
                Unit
              </label>
              <Select id={`${uid}-unit`} name="unit" disabled={!on} defaultValue={initial.unit} className="w-32">
                {UNITS.map((unit) => (
                  <option key={unit.id} value={unit.id}>
                    {unit.label}
                  </option>
                ))}
              </Select>
            </div>
          </div>
          <FieldError id={`${uid}-amount`} message={error ?? undefined} />
          <div className="text-xs text-slate-500">{state}</div>
        </fieldset>
        {canEdit ? (
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={pending}>
              {pending ? 'Saving…' : 'Save silence watch'}
            </Button>
            <Status message={errors.form} tone="error" />
            <Status message={saved} tone="ok" />
          </div>
        ) : null}
      </form>
    </RuleFrame>
  );
}
