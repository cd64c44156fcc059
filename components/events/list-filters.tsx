'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, type ReactNode, useId, useRef, useState, useSyncExternalStore, useTransition } from 'react';
import { DELIVERY_STATUS_FILTER_OPTIONS } from './delivery-status';
import { RANGE_PRESETS } from './time-range';

export interface FilterValues {
  sourceId?: string;
  destinationId?: string;
  status?: string;
  eventType?: string;
  range?: string;
  from?: string;
  to?: string;
  q?: string;
}

interface Option {
  id: string;
  name: string;
  status: string;
}

const CONTROL =
  'block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600';
const LABEL = 'mb-1 block text-sm font-medium text-slate-700';

const subscribeNever = () => () => undefined;

/** ISO → the value of a datetime-local input, in the viewer's zone. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function optionLabel(option: Option): string {
  return option.status === 'active' ? option.name : `${option.name} (${option.status})`;
}

/**
 * The filters of a list, all kept in the URL so a view can be shared: a plain GET form (it works
 * before the script loads); with the script, empty fields are left out, a custom time range is
 * read in the viewer's zone and sent as ISO, and selects apply as soon as they change.
 */
export function ListFilters({
  action,
  values,
  sources,
  destinations,
  fields,
  label,
}: {
  /** The page's path, e.g. /events. */
  action: string;
  values: FilterValues;
  sources: Option[];
  destinations: Option[];
  fields: { status?: boolean; eventType?: boolean; q?: boolean };
  label: string;
}) {
  const router = useRouter();
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [pending, startTransition] = useTransition();
  const hydrated = useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
  const initialRange = values.range ?? (values.from || values.to ? 'custom' : '');
  const [range, setRange] = useState(initialRange);
  const active = Object.values(values).some(Boolean);

  const apply = () => {
    const data = new FormData(form.current!);
    const params = new URLSearchParams();
    for (const [key, raw] of data) {
      const text = String(raw).trim();
      if (!text) continue;
      if (key === 'from' || key === 'to') {
        if (data.get('range') !== 'custom') continue;
        const date = new Date(text);
        if (!Number.isNaN(date.getTime())) params.set(key, date.toISOString());
        continue;
      }
      if (key === 'range' && text === 'custom') continue;
      params.set(key, text);
    }
    const query = params.toString();
    startTransition(() => router.push(query ? `${action}?${query}` : action));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    apply();
  };

  const select = (name: keyof FilterValues, text: string, children: ReactNode, onChange?: (value: string) => void) => (
    <div>
      <label htmlFor={`${id}-${name}`} className={LABEL}>
        {text}
      </label>
      <select
        id={`${id}-${name}`}
        name={name}
        defaultValue={name === 'range' ? initialRange : (values[name] ?? '')}
        className={CONTROL}
        onChange={(event) => {
          onChange?.(event.target.value);
          if (!(name === 'range' && event.target.value === 'custom')) apply();
        }}
      >
        {children}
      </select>
    </div>
  );

  return (
    <form
      ref={form}
      method="get"
      action={action}
      onSubmit={onSubmit}
      aria-label={label}
      className="mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {select(
          'sourceId',
          'Source',
          <>
            <option value="">All sources</option>
            {sources.map((option) => (
              <option key={option.id} value={option.id}>
                {optionLabel(option)}
              </option>
            ))}
          </>,
        )}
        {select(
          'destinationId',
          'Destination',
          <>
            <option value="">All destinations</option>
            {destinations.map((option) => (
              <option key={option.id} value={option.id}>
                {optionLabel(option)}
              </option>
            ))}
          </>,
        )}
        {fields.status
          ? select(
              'status',
              'Delivery status',
              <>
                <option value="">Any status</option>
                {Object.entries(DELIVERY_STATUS_FILTER_OPTIONS).map(([value, { label: text }]) => (
                  <option key={value} value={value}>
                    {text}
                  </option>
                ))}
              </>,
            )
          : null}
        {fields.eventType ? (
          <div>
            <label htmlFor={`${id}-eventType`} className={LABEL}>
              Event type
            </label>
            <input
              id={`${id}-eventType`}
              name="eventType"
              defaultValue={values.eventType ?? ''}
              placeholder="e.g. invoice.paid or invoice.*"
              aria-describedby={`${id}-eventType-hint`}
              className={`${CONTROL} font-mono`}
            />
            <p id={`${id}-eventType-hint`} className="sr-only">
              An exact type, or a prefix ending in a star.
            </p>
          </div>
        ) : null}
        {select(
          'range',
          fields.status ? 'Received' : 'Created',
          <>
            <option value="">Any time</option>
            {Object.entries(RANGE_PRESETS).map(([value, preset]) => (
              <option key={value} value={value}>
                {preset.label}
              </option>
            ))}
            <option value="custom">Custom range…</option>
          </>,
          setRange,
        )}
        {range === 'custom' ? (
          <div className="grid grid-cols-2 gap-3 sm:col-span-2 lg:col-span-2">
            {(['from', 'to'] as const).map((name) => (
              <div key={name}>
                <label htmlFor={`${id}-${name}`} className={LABEL}>
                  {name === 'from' ? 'From (your time)' : 'To (your time)'}
                </label>
                {hydrated ? (
                  <input id={`${id}-${name}`} name={name} type="datetime-local" defaultValue={toLocalInput(values[name])} className={CONTROL} />
                ) : (
                  <input id={`${id}-${name}`} disabled className={CONTROL} aria-label={name} />
                )}
              </div>
            ))}
          </div>
        ) : null}
        {fields.q ? (
          <div className={range === 'custom' ? 'sm:col-span-2 lg:col-span-4' : 'sm:col-span-2 lg:col-span-3'}>
            <label htmlFor={`${id}-q`} className={LABEL}>
              Payload search
            </label>
            <input
              id={`${id}-q`}
              name="q"
              type="search"
              defaultValue={values.q ?? ''}
              placeholder="Text in the body, or path=value such as data.object.id=pi_123"
              aria-describedby={`${id}-q-hint`}
              className={`${CONTROL} font-mono`}
              maxLength={500}
            />
            <p id={`${id}-q-hint`} className="mt-1 text-xs text-slate-500">
              <code className="font-mono text-slate-700">path=value</code> matches a JSON field exactly and is fast at any age:{' '}
              <code className="font-mono text-slate-700">data.object.id=pi_123</code>,{' '}
              <code className="font-mono text-slate-700">items[0].sku=&quot;A-1&quot;</code>, <code className="font-mono text-slate-700">livemode=false</code>{' '}
              (a quoted value is a string only). Anything else finds that exact text in the raw body (case-sensitive; wrap it in quotes if it contains =),
              within the chosen time range or the last 24 hours, at most 7 days.
            </p>
          </div>
        ) : null}
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className="inline-flex items-center justify-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:bg-indigo-300"
        >
          {pending ? 'Applying…' : 'Apply filters'}
        </button>
        {active ? (
          <Link href={action} className="rounded-md px-3 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100">
            Clear filters
          </Link>
        ) : null}
        <span role="status" aria-live="polite" className="text-xs text-slate-500">
          {pending ? 'Loading…' : ''}
        </span>
      </div>
    </form>
  );
}
