'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState, useTransition } from 'react';
import { type FormErrors, focusFirstError, formErrorsFrom } from '@/components/sources/action-errors';
import type { ProviderOption } from '@/components/sources/provider-fields';
import { ProviderSettingsFields, readSettings } from '@/components/sources/settings-fields';
import { Button } from '@/components/ui/button';
import { FormSection } from '@/components/ui/form-section';
import { Notice } from '@/components/ui/card';
import { Field, FieldError, Input, invalidProps, invalidRing, Select } from '@/components/ui/field';
import { createSourceAction, updateSourceAction } from './actions';

export interface SourceFormValues {
  name: string;
  slug: string;
  provider: string;
  settings: Record<string, unknown>;
  sizeLimitBytes: number;
  rateLimitPerSecond: number | null;
  ipAllowlist: string[];
  dedupHeader: string | null;
  dedupJsonPath: string | null;
  dedupEnabled: boolean;
  eventTypeJsonPath: string | null;
}

const KIB = 1024;
const MIB = 1024 * 1024;
const DEFAULTS: SourceFormValues = {
  name: '',
  slug: '',
  provider: 'stripe',
  settings: {},
  sizeLimitBytes: MIB,
  rateLimitPerSecond: null,
  ipAllowlist: [],
  dedupHeader: null,
  dedupJsonPath: null,
  dedupEnabled: true,
  eventTypeJsonPath: null,
};

const FIELDS = [
  'name',
  'slug',
  'provider',
  'secret',
  'sizeLimitBytes',
  'rateLimitPerSecond',
  'ipAllowlist',
  'dedupHeader',
  'dedupJsonPath',
  'eventTypeJsonPath',
];
const fieldId = (field: string) => `src-${field}`;

/** The client's copy of lib/sources/manage-sources.ts `slugFromName`, for the URL preview only. */
function previewSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug || 'source';
}

type DedupMode = 'provider' | 'header' | 'path' | 'off';

function dedupModeOf(values: SourceFormValues): DedupMode {
  if (!values.dedupEnabled) return 'off';
  if (values.dedupHeader) return 'header';
  if (values.dedupJsonPath) return 'path';
  return 'provider';
}

// The shared field helpers (components/ui/field.tsx), keyed by this form's field names.
const ErrorText = ({ field, errors }: { field: string; errors: FormErrors }) => <FieldError id={fieldId(field)} message={errors.fields[field]} />;
const invalid = (field: string, errors: FormErrors) => invalidProps(fieldId(field), errors.fields[field]);
const ring = (field: string, errors: FormErrors) => invalidRing(errors.fields[field]);

/**
 * Create or edit a source. The provider select drives the rest: its secret label, and one field
 * per setting of its preset (derived on the server from the preset's zod schema). Errors from
 * the server land next to the field they are about.
 */
export function SourceForm({
  providers,
  baseUrl,
  mode,
  sourceId,
  initial,
  onCancel,
  onSaved,
  takenSlugs,
}: {
  /** Creating: the slugs in use, so the preview shows the slug the server will really use. */
  takenSlugs?: string[];
  providers: ProviderOption[];
  baseUrl: string;
  mode: 'create' | 'edit';
  sourceId?: string;
  initial?: SourceFormValues;
  onCancel?: () => void;
  onSaved?: () => void;
}) {
  const router = useRouter();
  const start = initial ?? DEFAULTS;
  const [provider, setProvider] = useState(start.provider);
  const [name, setName] = useState(start.name);
  const [slug, setSlug] = useState(start.slug);
  const [dedupMode, setDedupMode] = useState<DedupMode>(dedupModeOf(start));
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, form: null });
  const [pending, startTransition] = useTransition();
  const preset = providers.find((option) => option.id === provider) ?? providers[0]!;
  const providerChanged = mode === 'edit' && provider !== start.provider;
  const sizeInMib = start.sizeLimitBytes % MIB === 0;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (key: string) => String(form.get(key) ?? '').trim();
    const sizeValue = Number(text('sizeValue'));
    const sizeUnit = text('sizeUnit') === 'KiB' ? KIB : MIB;
    const rate = text('rateLimitPerSecond');
    const ipAllowlist = text('ipAllowlist')
      .split(/[\n,]+/)
      .map((line) => line.trim())
      .filter(Boolean);
    // Settings of the configurable schemes that the common fields cover are kept as stored.
    const keep = providerChanged ? {} : Object.fromEntries(Object.entries(start.settings).filter(([key]) => !preset.fields.some((field) => field.key === key)));
    const common = {
      name: text('name'),
      provider,
      settings: readSettings(form, preset.fields, keep),
      sizeLimitBytes: Math.round(sizeValue * sizeUnit),
      rateLimitPerSecond: rate === '' ? null : Number(rate),
      ipAllowlist,
      dedupEnabled: dedupMode !== 'off',
      dedupHeader: dedupMode === 'header' ? text('dedupHeader') || null : null,
      dedupJsonPath: dedupMode === 'path' ? text('dedupJsonPath') || null : null,
      eventTypeJsonPath: text('eventTypeJsonPath') || null,
    };
    const secret = text('secret');
    startTransition(async () => {
      const result =
        mode === 'create'
          ? await createSourceAction({ ...common, ...(text('slug') ? { slug: text('slug') } : {}), ...(secret && preset.needsSecret ? { secret } : {}) })
          : await updateSourceAction({ id: sourceId, changes: { ...common, ...(text('slug') ? { slug: text('slug') } : {}) } });
      if (!result.ok) {
        const next = formErrorsFrom(result.error, {
          knownFields: [...FIELDS, ...preset.fields.map((field) => `settings.${field.key}`)],
          conflicts: 'slug',
          stripPrefix: 'changes.',
        });
        setErrors(next);
        focusFirstError(next, (field) => (field.startsWith('settings.') ? `src-${field}` : fieldId(field)));
        return;
      }
      setErrors({ fields: {}, form: null });
      if (mode === 'create') {
        router.push(`/sources/${result.data.id}`);
      } else {
        onSaved?.();
        router.refresh();
      }
    });
  }

  /** An edited field's error is stale: drop it (ids are `src-<field>`). */
  function clearErrorOf(target: EventTarget) {
    const id = (target as HTMLElement).id ?? '';
    const field = id === fieldId('sizeUnit') ? 'sizeLimitBytes' : id.replace(/^src-/, '');
    if (!errors.fields[field]) return;
    setErrors((current) => {
      const fields = { ...current.fields };
      delete fields[field];
      return { ...current, fields };
    });
  }

  // The server gives a derived slug that is taken the first free numeric suffix, and refuses a
  // chosen one that is taken (lib/sources/manage-sources.ts): preview exactly that.
  const taken = new Set(takenSlugs ?? []);
  const chosen = slug.trim();
  const derived = previewSlug(name);
  let slugPreview = chosen || derived;
  if (!chosen && taken.has(derived))
    for (let n = 2; ; n++)
      if (!taken.has(`${derived}-${n}`)) {
        slugPreview = `${derived}-${n}`;
        break;
      }
  const slugNote =
    mode !== 'create'
      ? null
      : chosen && taken.has(chosen)
        ? `The slug "${chosen}" is already used by another source; choose another.`
        : !chosen && slugPreview !== derived
          ? `"${derived}" is taken by another source, so this one gets "${slugPreview}". Type a slug to choose another.`
          : null;
  const groups = ['Providers', 'Configurable schemes'] as const;

  return (
    <form onSubmit={onSubmit} onChange={(event) => clearErrorOf(event.target)} aria-label={mode === 'create' ? 'New source' : 'Edit source'}>
      {errors.form ? (
        <div className="mb-4">
          <Notice tone="error">{errors.form}</Notice>
        </div>
      ) : null}

      <FormSection
        title="Provider"
        description="Who sends the webhooks. The provider decides how requests are verified, where the event id and type are found, and which settings apply."
      >
        <Field label="Provider" htmlFor={fieldId('provider')} hint={preset.summary}>
          <Select id={fieldId('provider')} name="provider" value={provider} onChange={(event) => setProvider(event.target.value)}>
            {groups.map((group) => (
              <optgroup key={group} label={group}>
                {providers
                  .filter((option) => option.group === group)
                  .map((option) => (
                    <option key={option.id} value={option.id}>
                      {option.label}
                    </option>
                  ))}
              </optgroup>
            ))}
          </Select>
        </Field>
        {providerChanged ? <Notice tone="info">Changing the provider resets its settings to the new provider’s defaults. Existing secrets stay.</Notice> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Name" htmlFor={fieldId('name')}>
            <Input
              id={fieldId('name')}
              name="name"
              required
              maxLength={200}
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder="Stripe (production)"
              autoComplete="off"
              className={ring('name', errors)}
              {...invalid('name', errors)}
            />
            <ErrorText field="name" errors={errors} />
          </Field>
          <Field
            label="Slug"
            htmlFor={fieldId('slug')}
            hint={mode === 'create' ? 'Optional: derived from the name when empty.' : 'Changing it changes the ingest URL at once; the old one answers 404.'}
          >
            <Input
              id={fieldId('slug')}
              name="slug"
              maxLength={64}
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              value={slug}
              onChange={(event) => setSlug(event.target.value)}
              placeholder={previewSlug(name)}
              autoComplete="off"
              spellCheck={false}
              className={`font-mono ${ring('slug', errors)}`}
              {...invalid('slug', errors)}
            />
            <ErrorText field="slug" errors={errors} />
          </Field>
        </div>
        <p className="text-sm text-slate-600">
          Ingest URL:{' '}
          <code
            data-testid="ingest-url-preview"
            className="break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800"
          >{`${baseUrl.replace(/\/+$/, '')}/api/ingest/${slugPreview}`}</code>
        </p>
        {slugNote ? (
          <p className={`text-sm ${chosen ? 'text-red-700' : 'text-amber-800'}`} data-testid="slug-note">
            {slugNote}
          </p>
        ) : null}
      </FormSection>

      <FormSection
        title="Verification"
        description={preset.needsSecret ? `How Hookyard checks that a request really comes from ${preset.label}.` : 'Requests to this source are not verified.'}
      >
        {mode === 'create' ? (
          preset.needsSecret ? (
            <Field
              label={preset.secretLabel}
              htmlFor={fieldId('secret')}
              hint={`Optional now: you can add it, or several, on the source page. Until then ${preset.label} requests are refused.`}
            >
              <Input
                id={fieldId('secret')}
                name="secret"
                type="password"
                autoComplete="off"
                spellCheck={false}
                className={`font-mono ${ring('secret', errors)}`}
                {...invalid('secret', errors)}
              />
              <ErrorText field="secret" errors={errors} />
            </Field>
          ) : (
            <Notice tone="info">
              Every request is accepted and marked unverified. Use an IP allowlist below, or a verifying scheme when the sender supports one.
            </Notice>
          )
        ) : (
          <p className="text-sm text-slate-500">
            {preset.needsSecret ? `The ${preset.label} secrets are managed in the Secrets panel above.` : 'This scheme takes no secret.'}
          </p>
        )}
        <div>
          <h3 className="mb-3 text-sm font-medium text-slate-700">{preset.label} settings</h3>
          <ProviderSettingsFields
            key={provider}
            fields={preset.fields}
            values={provider === start.provider ? start.settings : {}}
            errors={errors.fields}
            providerLabel={preset.label}
          />
        </div>
      </FormSection>

      <FormSection title="Limits" description="Requests over a limit are refused before the body is read or stored.">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Size limit" htmlFor={fieldId('sizeLimitBytes')} hint="Default 1 MiB, at most 25 MiB.">
            <div className="flex gap-2">
              <Input
                id={fieldId('sizeLimitBytes')}
                name="sizeValue"
                type="number"
                min={1}
                step="any"
                required
                defaultValue={sizeInMib ? start.sizeLimitBytes / MIB : start.sizeLimitBytes / KIB}
                className={ring('sizeLimitBytes', errors)}
                {...invalid('sizeLimitBytes', errors)}
              />
              <label htmlFor={fieldId('sizeUnit')} className="sr-only">
                Size limit unit
              </label>
              <Select id={fieldId('sizeUnit')} name="sizeUnit" defaultValue={sizeInMib ? 'MiB' : 'KiB'} className="w-24">
                <option value="KiB">KiB</option>
                <option value="MiB">MiB</option>
              </Select>
            </div>
            <ErrorText field="sizeLimitBytes" errors={errors} />
          </Field>
          <Field
            label="Rate limit (requests per second)"
            htmlFor={fieldId('rateLimitPerSecond')}
            hint="Empty means unlimited. Over the limit, senders get 429 with Retry-After."
          >
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
              {...invalid('rateLimitPerSecond', errors)}
            />
            <ErrorText field="rateLimitPerSecond" errors={errors} />
          </Field>
        </div>
        <Field
          label="IP allowlist"
          htmlFor={fieldId('ipAllowlist')}
          hint="One address or CIDR per line (203.0.113.0/24, 2001:db8::/32). Empty allows every address."
        >
          <textarea
            id={fieldId('ipAllowlist')}
            name="ipAllowlist"
            rows={3}
            defaultValue={start.ipAllowlist.join('\n')}
            spellCheck={false}
            placeholder={'203.0.113.0/24\n2001:db8::/32'}
            {...invalid('ipAllowlist', errors)}
            className={`block w-full rounded-md border-0 bg-white px-3 py-2 font-mono text-sm text-slate-900 shadow-sm ring-1 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600 ${errors.fields.ipAllowlist ? 'ring-red-400' : 'ring-slate-300'}`}
          />
          <ErrorText field="ipAllowlist" errors={errors} />
        </Field>
      </FormSection>

      <FormSection title="Events" description="How a repeated delivery of the same event is recognised, and where the event type is read.">
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Recognise duplicates by</legend>
          <div className="mt-2 space-y-2">
            {(
              [
                ['provider', `${preset.label}’s own event id`, 'The default: the id the provider puts in every delivery.'],
                ['header', 'A request header', 'e.g. idempotency-key'],
                ['path', 'A JSON path in the body', 'e.g. data.object.id or items[0].id'],
                ['off', 'Do not deduplicate', 'Every request is stored and forwarded, repeats included.'],
              ] as const
            ).map(([value, label, hint]) => (
              <label key={value} className="flex items-start gap-3 text-sm">
                <input
                  type="radio"
                  name="dedupMode"
                  value={value}
                  checked={dedupMode === value}
                  onChange={() => setDedupMode(value)}
                  className="mt-0.5 accent-indigo-600"
                />
                <span>
                  <span className="font-medium text-slate-800">{label}</span>
                  <span className="block text-xs text-slate-500">{hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {dedupMode === 'header' ? (
          <Field label="Dedup header" htmlFor={fieldId('dedupHeader')}>
            <Input
              id={fieldId('dedupHeader')}
              name="dedupHeader"
              required
              defaultValue={start.dedupHeader ?? ''}
              placeholder="idempotency-key"
              className={`font-mono ${ring('dedupHeader', errors)}`}
              spellCheck={false}
              {...invalid('dedupHeader', errors)}
            />
            <ErrorText field="dedupHeader" errors={errors} />
          </Field>
        ) : null}
        {dedupMode === 'path' ? (
          <Field label="Dedup JSON path" htmlFor={fieldId('dedupJsonPath')}>
            <Input
              id={fieldId('dedupJsonPath')}
              name="dedupJsonPath"
              required
              defaultValue={start.dedupJsonPath ?? ''}
              placeholder="data.object.id"
              className={`font-mono ${ring('dedupJsonPath', errors)}`}
              spellCheck={false}
              {...invalid('dedupJsonPath', errors)}
            />
            <ErrorText field="dedupJsonPath" errors={errors} />
          </Field>
        ) : null}
        <Field label="Event type JSON path" htmlFor={fieldId('eventTypeJsonPath')} hint={`Optional. Empty uses ${preset.label}’s own event type.`}>
          <Input
            id={fieldId('eventTypeJsonPath')}
            name="eventTypeJsonPath"
            defaultValue={start.eventTypeJsonPath ?? ''}
            placeholder="type"
            className={`font-mono ${ring('eventTypeJsonPath', errors)}`}
            spellCheck={false}
            {...invalid('eventTypeJsonPath', errors)}
          />
          <ErrorText field="eventTypeJsonPath" errors={errors} />
        </Field>
      </FormSection>

      <div className="flex items-center justify-end gap-3 border-t border-slate-200 pt-5">
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : mode === 'create' ? 'Create source' : 'Save changes'}
        </Button>
      </div>
    </form>
  );
}
