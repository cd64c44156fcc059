'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useTransition } from 'react';

export interface AuditFilterValues {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
}

const CONTROL =
  'block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600';

/**
 * The audit filters. A plain GET form (it works before the script loads); with the script, empty
 * fields are left out of the URL and the list updates in place.
 */
export function AuditFilters({
  values,
  actors,
  actions,
  targetTypes,
}: {
  values: AuditFilterValues;
  actors: { value: string; label: string; kind: string }[];
  actions: string[];
  targetTypes: string[];
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const active = Object.values(values).some(Boolean);
  const knownActor = !values.actor || actors.some((actor) => actor.value === values.actor);
  const knownAction = !values.action || actions.includes(values.action);
  const knownType = !values.targetType || targetTypes.includes(values.targetType);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(event.currentTarget)) {
      const text = String(value).trim();
      if (text) params.set(key, text);
    }
    const query = params.toString();
    startTransition(() => router.push(query ? `/audit?${query}` : '/audit'));
  };

  return (
    <form
      method="get"
      action="/audit"
      onSubmit={onSubmit}
      aria-label="Filter the audit log"
      className="mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-4">
        <div>
          <label htmlFor="audit-actor" className="mb-1 block text-sm font-medium text-slate-700">
            Person or key
          </label>
          <select id="audit-actor" name="actor" defaultValue={values.actor ?? ''} className={CONTROL}>
            <option value="">Anyone</option>
            {!knownActor ? <option value={values.actor}>{values.actor}</option> : null}
            {actors.map((actor) => (
              <option key={actor.value} value={actor.value}>
                {actor.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-action" className="mb-1 block text-sm font-medium text-slate-700">
            Action
          </label>
          <select id="audit-action" name="action" defaultValue={values.action ?? ''} className={CONTROL}>
            <option value="">Any action</option>
            {!knownAction ? <option value={values.action}>{values.action}</option> : null}
            {actions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-target-type" className="mb-1 block text-sm font-medium text-slate-700">
            Target type
          </label>
          <select id="audit-target-type" name="targetType" defaultValue={values.targetType ?? ''} className={CONTROL}>
            <option value="">Any target</option>
            {!knownType ? <option value={values.targetType}>{values.targetType}</option> : null}
            {targetTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-target-id" className="mb-1 block text-sm font-medium text-slate-700">
            Target id
          </label>
          <input
            id="audit-target-id"
            name="targetId"
            defaultValue={values.targetId ?? ''}
            placeholder="e.g. a destination's id"
            className={`${CONTROL} font-mono`}
          />
        </div>
      </div>
      <div className="mt-3 flex items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className="inline-flex items-center justify-center rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:bg-indigo-300"
        >
          {pending ? 'Filtering…' : 'Apply filters'}
        </button>
        {active ? (
          <Link href="/audit" className="rounded-md px-3 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100">
            Clear filters
          </Link>
        ) : null}
        <span role="status" aria-live="polite" className="sr-only">
          {pending ? 'Loading entries' : ''}
        </span>
      </div>
    </form>
  );
}
