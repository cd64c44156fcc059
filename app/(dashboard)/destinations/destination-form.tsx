'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState, useTransition } from 'react';
import { type DurationUnit, formatSchedule, scheduleSummary, toUnit, UNIT_LABELS, UNIT_SECONDS } from '@/components/destinations/durations';
import {
  DESTINATION_TYPE_INFO,
  DESTINATION_TYPE_ORDER,
  type DestinationType,
  hasMaskedPassword,
  isBroker,
  typeOfUrl,
} from '@/components/destinations/destination-types';
import { type FormErrors, focusFirstError, formErrorsFrom } from '@/components/sources/action-errors';
import { Button } from '@/components/ui/button';
import { FormSection } from '@/components/ui/form-section';
import { Notice } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { Field, FieldError, Input, invalidProps, invalidRing, Select } from '@/components/ui/field';
import { destinationTypeOf } from '@/lib/destinations/destination-schemes';
import { DEFAULT_RETRY_SCHEDULE } from '@/lib/destinations/retry-schedule';
import { createDestinationAction, updateDestinationAction } from './actions';

export interface DestinationFormValues {
  name: string;
  /** As the API shows it: a broker URL's password is `***`, which the API keeps when sent back. */
  url: string;
  /** Per-type options (lib/destinations/destination-options.ts); {} for HTTP. */
  options: Record<string, unknown>;
  /** HTTP only: brokers carry the original headers as message metadata instead. */
  headers: Record<string, string>;
  timeoutMs: number;
  retrySchedule: number[];
  maxConcurrency: number;
  rateLimitPerSecond: number | null;
  orderingKey: string | null;
}

const DEFAULTS: DestinationFormValues = {
  name: '',
  url: '',
  options: {},
  headers: {},
  timeoutMs: 30_000,
  retrySchedule: [...DEFAULT_RETRY_SCHEDULE],
  maxConcurrency: 10,
  rateLimitPerSecond: null,
  orderingKey: null,
};

const fieldId = (field: string) => `dst-${field}`;

interface HeaderRow {
  key: number;
  name: string;
  value: string;
}

interface DelayRow {
  key: number;
  value: string;
  unit: DurationUnit;
}

let nextKey = 1;
const rowKey = () => nextKey++;

// The shared field helpers (components/ui/field.tsx), keyed by this form's field names.
const ErrorText = ({ field, errors }: { field: string; errors: FormErrors }) => <FieldError id={fieldId(field)} message={errors.fields[field]} />;
const aria = (field: string, errors: FormErrors) => invalidProps(fieldId(field), errors.fields[field]);
const ring = (field: string, errors: FormErrors) => invalidRing(errors.fields[field]);

/** The form's text for each option, keyed by option name (the names do not clash across types). */
function optionTexts(options: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).map(([key, value]) => [key, value === null || value === undefined ? '' : String(value)]));
}

/** The `options` body for the chosen type: numbers as numbers, an empty optional number left out. */
function optionsFor(type: DestinationType, texts: Record<string, string>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const field of DESTINATION_TYPE_INFO[type].options) {
    const text = (texts[field.key] ?? '').trim();
    if (field.kind === 'number') {
      if (text !== '') options[field.key] = Number(text);
    } else options[field.key] = text;
  }
  return options;
}

function delaySeconds(row: DelayRow): number {
  return Math.round(Number(row.value) * UNIT_SECONDS[row.unit]);
}

/** The signing secret of a destination just created, shown this one time. */
function CreatedPanel({ id, name, secret }: { id: string; name: string; secret: string }) {
  return (
    <div className="space-y-4" data-testid="destination-created">
      <Notice tone="success">
        <strong>{name}</strong> is ready. Every forward is signed with this secret per Standard Webhooks (<code className="font-mono">webhook-id</code>,{' '}
        <code className="font-mono">webhook-timestamp</code>, <code className="font-mono">webhook-signature</code>). Copy it into the receiving service now: it
        is shown only once.
      </Notice>
      <div className="flex flex-wrap items-center gap-2 rounded-md bg-slate-900 px-3 py-2">
        <code data-testid="new-signing-secret" className="min-w-0 flex-1 select-all break-all font-mono text-xs text-emerald-200">
          {secret}
        </code>
        <CopyButton value={secret} label="Copy signing secret" />
      </div>
      <div className="flex justify-end">
        <Link
          href={`/destinations/${id}`}
          className="inline-flex items-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Continue to the destination →
        </Link>
      </div>
    </div>
  );
}

/**
 * Create or edit a destination: where to send, with which headers, how patiently (timeout and a
 * retry schedule in human units), how fast, and in which order.
 */
export function DestinationForm({
  mode,
  destinationId,
  initial,
  onCancel,
  onSaved,
}: {
  mode: 'create' | 'edit';
  destinationId?: string;
  initial?: DestinationFormValues;
  onCancel?: () => void;
  onSaved?: () => void;
}) {
  const router = useRouter();
  const start = initial ?? DEFAULTS;
  const formId = useId();
  const [type, setType] = useState<DestinationType>(() => typeOfUrl(start.url));
  const [optionValues, setOptionValues] = useState<Record<string, string>>(() => optionTexts(start.options));
  const [headers, setHeaders] = useState<HeaderRow[]>(() => Object.entries(start.headers).map(([name, value]) => ({ key: rowKey(), name, value })));
  const [delays, setDelays] = useState<DelayRow[]>(() => start.retrySchedule.map((seconds) => ({ key: rowKey(), ...toUnitRow(seconds) })));
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, form: null });
  const [created, setCreated] = useState<{ id: string; name: string; secret: string } | null>(null);
  const [pending, startTransition] = useTransition();

  if (created) return <CreatedPanel {...created} />;

  const info = DESTINATION_TYPE_INFO[type];
  const broker = isBroker(type);
  const keepsPassword = mode === 'edit' && hasMaskedPassword(start.url);
  const schedule = delays.map(delaySeconds);
  const isDefaultSchedule = schedule.length === DEFAULT_RETRY_SCHEDULE.length && schedule.every((delay, index) => delay === DEFAULT_RETRY_SCHEDULE[index]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (key: string) => String(form.get(key) ?? '').trim();
    const rate = text('rateLimitPerSecond');
    const filledHeaders = broker ? [] : headers.filter((row) => row.name.trim() !== '' || row.value !== '');
    const url = text('url');
    // The type was picked by hand and the URL says otherwise: say so at the URL, before the API's
    // option errors (which would be about the URL's type, not the one on screen).
    const urlType = destinationTypeOf(url);
    if (urlType !== null && urlType !== type) {
      const next: FormErrors = { fields: { url: `A ${info.label} URL starts with ${info.schemes}, e.g. ${info.exampleUrl}` }, form: null };
      setErrors(next);
      focusFirstError(next, fieldId);
      return;
    }
    const input = {
      name: text('name'),
      url,
      options: optionsFor(type, optionValues),
      // Custom headers are HTTP's; a broker destination's stored ones (if any) are left as they are.
      ...(broker ? {} : { headers: Object.fromEntries(filledHeaders.map((row) => [row.name.trim(), row.value])) }),
      timeoutMs: Math.round(Number(text('timeoutSeconds')) * 1000),
      retrySchedule: schedule,
      maxConcurrency: Number(text('maxConcurrency')),
      rateLimitPerSecond: rate === '' ? null : Number(rate),
      orderingKey: text('orderingKey') || null,
    };
    startTransition(async () => {
      if (mode === 'create') {
        const result = await createDestinationAction(input);
        if (!result.ok) return showErrors(result.error);
        setErrors({ fields: {}, form: null });
        setCreated({ id: result.data.id, name: result.data.name, secret: result.data.signingSecret });
        return;
      }
      const result = await updateDestinationAction({ id: destinationId, changes: input });
      if (!result.ok) return showErrors(result.error);
      setErrors({ fields: {}, form: null });
      onSaved?.();
      router.refresh();
    });

    function showErrors(error: { code: string; message: string }) {
      // Header errors name the header ("headers.X-Foo: …"); point them at its row.
      const headerMatch = /^(?:changes\.)?headers\.(.+?): (.+)$/s.exec(error.message);
      const rowIndex = headerMatch ? filledHeaders.findIndex((row) => row.name.trim().toLowerCase() === headerMatch[1]?.toLowerCase()) : -1;
      const next: FormErrors =
        headerMatch && rowIndex >= 0
          ? { fields: { [`headers.${headers.indexOf(filledHeaders[rowIndex]!)}`]: headerMatch[2]! }, form: null }
          : formErrorsFrom(error, {
              knownFields: [
                'name',
                'url',
                'options',
                ...info.options.map((field) => `options.${field.key}`),
                'headers',
                'timeoutMs',
                'maxConcurrency',
                'rateLimitPerSecond',
                'orderingKey',
                'retrySchedule',
                ...delays.map((_, index) => `retrySchedule.${index}`),
              ],
              stripPrefix: 'changes.',
            });
      setErrors(next);
      focusFirstError(next, (field) => (field === 'timeoutMs' ? fieldId('timeout') : fieldId(field)));
    }
  }

  /** An edited field's error is stale: drop it (ids are `dst-<field>`; header inputs carry data-field). */
  function clearErrorOf(target: EventTarget) {
    const element = target as HTMLElement;
    const raw = element.dataset?.field ?? (element.id ?? '').replace(/^dst-/, '');
    const field = raw === 'timeout' ? 'timeoutMs' : raw;
    if (!errors.fields[field]) return;
    setErrors((current) => {
      const fields = { ...current.fields };
      delete fields[field];
      return { ...current, fields };
    });
  }

  return (
    <form onSubmit={onSubmit} onChange={(event) => clearErrorOf(event.target)} aria-label={mode === 'create' ? 'New destination' : 'Edit destination'}>
      {errors.form ? (
        <div className="mb-4">
          <Notice tone="error">{errors.form}</Notice>
        </div>
      ) : null}

      <FormSection
        title="Endpoint"
        description="The service that receives the events: usually an internal API or an agent, or a message broker its consumers read from."
      >
        <Field label="Name" htmlFor={fieldId('name')}>
          <Input
            id={fieldId('name')}
            name="name"
            required
            maxLength={200}
            defaultValue={start.name}
            placeholder="Billing agent"
            autoComplete="off"
            className={ring('name', errors)}
            {...aria('name', errors)}
          />
          <ErrorText field="name" errors={errors} />
        </Field>
        <Field label="Type" htmlFor={fieldId('type')} hint={`${info.deliveredAs} Detected from the URL as you type it.`}>
          <div className="max-w-xs">
            <Select id={fieldId('type')} value={type} onChange={(event) => setType(event.target.value as DestinationType)} data-testid="destination-type">
              {DESTINATION_TYPE_ORDER.map((option) => (
                <option key={option} value={option}>
                  {DESTINATION_TYPE_INFO[option].label}
                </option>
              ))}
            </Select>
          </div>
        </Field>
        <Field
          label="URL"
          htmlFor={fieldId('url')}
          hint={
            broker
              ? `${info.schemes}, e.g. ${info.exampleUrl}${type === 'nats' ? ' or nats://TOKEN@host:4222' : ''}. The ${type === 'nats' ? 'password or token' : 'password'} is stored encrypted and shown as ***${keepsPassword ? ': leave *** to keep the stored one, or type a new one in its place' : ''}. Cloud metadata and link-local addresses are always refused.`
              : 'http or https. Cloud metadata and link-local addresses are always refused; put credentials in a header, not in the URL.'
          }
        >
          <Input
            id={fieldId('url')}
            name="url"
            type="url"
            required
            maxLength={2048}
            defaultValue={start.url}
            onChange={(event) => {
              const detected = destinationTypeOf(event.target.value);
              if (detected && detected !== type) setType(detected);
            }}
            placeholder={info.exampleUrl}
            autoComplete="off"
            spellCheck={false}
            className={`font-mono ${ring('url', errors)}`}
            {...aria('url', errors)}
          />
          <ErrorText field="url" errors={errors} />
        </Field>
        {broker ? (
          <div className="grid gap-4 sm:grid-cols-2" data-testid="destination-options">
            {info.options.map((option) => {
              const field = `options.${option.key}`;
              return (
                <Field key={`${type}-${option.key}`} label={option.label} htmlFor={fieldId(field)} hint={option.hint}>
                  <Input
                    id={fieldId(field)}
                    type={option.kind === 'number' ? 'number' : 'text'}
                    {...(option.kind === 'number' ? { min: 1, step: 1 } : { maxLength: 1024 })}
                    required={option.required}
                    value={optionValues[option.key] ?? ''}
                    onChange={(event) => setOptionValues((values) => ({ ...values, [option.key]: event.target.value }))}
                    placeholder={option.placeholder}
                    autoComplete="off"
                    spellCheck={false}
                    className={`${option.kind === 'text' ? 'font-mono' : ''} ${ring(field, errors)}`}
                    {...aria(field, errors)}
                  />
                  <ErrorText field={field} errors={errors} />
                </Field>
              );
            })}
            <ErrorText field="options" errors={errors} />
          </div>
        ) : null}
        {broker ? null : (
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">Headers</legend>
            <p className="text-xs text-slate-500">
              Added to every forward, e.g. an Authorization token. The provider’s original headers go too. Values are masked for non-admins.
            </p>
            <div className="mt-2 space-y-2">
              {headers.map((row, index) => (
                <div key={row.key}>
                  <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] gap-2">
                    <label className="sr-only" htmlFor={`${formId}-header-name-${index}`}>
                      Header {index + 1} name
                    </label>
                    <Input
                      id={`${formId}-header-name-${index}`}
                      data-field={`headers.${index}`}
                      value={row.name}
                      onChange={(event) => setHeaders((rows) => rows.map((r) => (r.key === row.key ? { ...r, name: event.target.value } : r)))}
                      placeholder="Authorization"
                      autoComplete="off"
                      spellCheck={false}
                      className={`font-mono ${ring(`headers.${index}`, errors)}`}
                    />
                    <label className="sr-only" htmlFor={`${formId}-header-value-${index}`}>
                      Header {index + 1} value
                    </label>
                    <Input
                      id={`${formId}-header-value-${index}`}
                      data-field={`headers.${index}`}
                      value={row.value}
                      onChange={(event) => setHeaders((rows) => rows.map((r) => (r.key === row.key ? { ...r, value: event.target.value } : r)))}
                      placeholder="Bearer …"
                      autoComplete="off"
                      spellCheck={false}
                      className="font-mono"
                    />
                    <Button
                      variant="secondary"
                      aria-label={`Remove header ${row.name || index + 1}`}
                      onClick={() => setHeaders((rows) => rows.filter((r) => r.key !== row.key))}
                    >
                      ×
                    </Button>
                  </div>
                  <ErrorText field={`headers.${index}`} errors={errors} />
                </div>
              ))}
              <ErrorText field="headers" errors={errors} />
              <Button variant="secondary" onClick={() => setHeaders((rows) => [...rows, { key: rowKey(), name: '', value: '' }])}>
                + Add header
              </Button>
            </div>
          </fieldset>
        )}
      </FormSection>

      <FormSection
        title="Retries"
        description={
          broker
            ? `Anything but the broker's confirmation within the timeout is retried on this schedule (with jitter). When it runs out, the delivery is failed, stays replayable, and raises an alert.`
            : 'Anything but a 2xx within the timeout is retried on this schedule (with jitter, honouring Retry-After). When it runs out, the delivery is failed, stays replayable, and raises an alert.'
        }
      >
        <Field
          label="Timeout (seconds)"
          htmlFor={fieldId('timeout')}
          hint={`1 to 120 seconds. Default 30. ${broker ? 'Covers connecting and the broker’s confirmation.' : 'Covers the full response.'}`}
        >
          <div className="max-w-[10rem]">
            <Input
              id={fieldId('timeout')}
              name="timeoutSeconds"
              type="number"
              min={1}
              max={120}
              step="any"
              required
              defaultValue={start.timeoutMs / 1000}
              className={ring('timeoutMs', errors)}
              {...aria('timeoutMs', errors)}
            />
          </div>
          <ErrorText field="timeoutMs" errors={errors} />
        </Field>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Retry schedule</legend>
          <p className="text-xs text-slate-500">The wait before each attempt. Default: {formatSchedule(DEFAULT_RETRY_SCHEDULE)}.</p>
          <ol className="mt-2 space-y-2">
            {delays.map((row, index) => (
              <li key={row.key}>
                <div className="flex items-center gap-2">
                  <label htmlFor={fieldId(`retrySchedule.${index}`)} className="w-20 shrink-0 text-sm text-slate-600">
                    Attempt {index + 1}
                  </label>
                  <div className="w-24 shrink-0">
                    <Input
                      id={fieldId(`retrySchedule.${index}`)}
                      type="number"
                      min={0}
                      step="any"
                      required
                      value={row.value}
                      onChange={(event) => setDelays((rows) => rows.map((r) => (r.key === row.key ? { ...r, value: event.target.value } : r)))}
                      className={ring(`retrySchedule.${index}`, errors)}
                      {...aria(`retrySchedule.${index}`, errors)}
                    />
                  </div>
                  <label className="sr-only" htmlFor={`${formId}-unit-${index}`}>
                    Unit of attempt {index + 1}
                  </label>
                  <div className="w-32 shrink-0">
                    <Select
                      id={`${formId}-unit-${index}`}
                      value={row.unit}
                      onChange={(event) => setDelays((rows) => rows.map((r) => (r.key === row.key ? { ...r, unit: event.target.value as DurationUnit } : r)))}
                    >
                      {(Object.keys(UNIT_LABELS) as DurationUnit[]).map((unit) => (
                        <option key={unit} value={unit}>
                          {UNIT_LABELS[unit]}
                        </option>
                      ))}
                    </Select>
                  </div>
                  <span className="min-w-0 flex-1 truncate text-xs text-slate-500">{delaySeconds(row) === 0 ? 'immediately' : ''}</span>
                  <Button
                    variant="secondary"
                    aria-label={`Remove attempt ${index + 1}`}
                    disabled={delays.length <= 1}
                    onClick={() => setDelays((rows) => rows.filter((r) => r.key !== row.key))}
                  >
                    ×
                  </Button>
                </div>
                <ErrorText field={`retrySchedule.${index}`} errors={errors} />
              </li>
            ))}
          </ol>
          <ErrorText field="retrySchedule" errors={errors} />
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <Button variant="secondary" disabled={delays.length >= 20} onClick={() => setDelays((rows) => [...rows, { key: rowKey(), value: '1', unit: 'h' }])}>
              + Add attempt
            </Button>
            {!isDefaultSchedule ? (
              <Button variant="secondary" onClick={() => setDelays(DEFAULT_RETRY_SCHEDULE.map((seconds) => ({ key: rowKey(), ...toUnitRow(seconds) })))}>
                Reset to default
              </Button>
            ) : null}
            <span className="text-xs text-slate-500" aria-live="polite">
              {scheduleSummary(schedule)}
            </span>
          </div>
        </fieldset>
      </FormSection>

      <FormSection title="Throughput and order" description="Protect the receiver from bursts, and keep related events in order when it needs that.">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Max concurrency" htmlFor={fieldId('maxConcurrency')} hint="Requests in flight at once. Default 10.">
            <Input
              id={fieldId('maxConcurrency')}
              name="maxConcurrency"
              type="number"
              min={1}
              max={1000}
              step={1}
              required
              defaultValue={start.maxConcurrency}
              className={ring('maxConcurrency', errors)}
              {...aria('maxConcurrency', errors)}
            />
            <ErrorText field="maxConcurrency" errors={errors} />
          </Field>
          <Field label="Rate limit (per second)" htmlFor={fieldId('rateLimitPerSecond')} hint="Empty means unlimited.">
            <Input
              id={fieldId('rateLimitPerSecond')}
              name="rateLimitPerSecond"
              type="number"
              min={1}
              max={1_000_000}
              step={1}
              defaultValue={start.rateLimitPerSecond ?? ''}
              placeholder="Unlimited"
              className={ring('rateLimitPerSecond', errors)}
              {...aria('rateLimitPerSecond', errors)}
            />
            <ErrorText field="rateLimitPerSecond" errors={errors} />
          </Field>
        </div>
        <Field
          label="Ordering key"
          htmlFor={fieldId('orderingKey')}
          hint="Optional JSON path, e.g. data.object.id: events with the same value are delivered one at a time, in order."
        >
          <Input
            id={fieldId('orderingKey')}
            name="orderingKey"
            defaultValue={start.orderingKey ?? ''}
            placeholder="data.object.id"
            autoComplete="off"
            spellCheck={false}
            className={`font-mono ${ring('orderingKey', errors)}`}
            {...aria('orderingKey', errors)}
          />
          <ErrorText field="orderingKey" errors={errors} />
        </Field>
      </FormSection>

      <div className="flex items-center justify-end gap-3 border-t border-slate-200 pt-5">
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : mode === 'create' ? 'Create destination' : 'Save changes'}
        </Button>
      </div>
    </form>
  );
}

function toUnitRow(seconds: number): { value: string; unit: DurationUnit } {
  const { value, unit } = toUnit(seconds);
  return { value: String(value), unit };
}
