'use client';

import { Field, FieldError, Input, invalidRing, Select } from '@/components/ui/field';
import type { SettingField } from './provider-fields';

export const settingsFieldId = (key: string) => `src-settings.${key}`;

/**
 * One control per setting of the chosen preset, rendered from the descriptors the server derived
 * from its zod schema. Inputs are named `settings.<key>`; `readSettings` turns the form back into
 * the object the API validates.
 */
export function ProviderSettingsFields({
  fields,
  values,
  errors,
  providerLabel,
}: {
  fields: SettingField[];
  values: Record<string, unknown>;
  errors: Record<string, string>;
  providerLabel: string;
}) {
  if (fields.length === 0) {
    return <p className="text-sm text-slate-500">{providerLabel} has no settings of its own: the defaults are what it documents.</p>;
  }
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {fields.map((field) => {
        const id = settingsFieldId(field.key);
        const error = errors[`settings.${field.key}`];
        const errorId = `${id}-error`;
        const current = values[field.key] ?? field.defaultValue;
        const describedBy = error ? errorId : undefined;
        if (field.kind === 'boolean') {
          return (
            <div key={field.key} className="sm:col-span-2">
              <label htmlFor={id} className="flex items-start gap-3">
                <input
                  id={id}
                  name={`settings.${field.key}`}
                  type="checkbox"
                  defaultChecked={current === true}
                  aria-describedby={describedBy}
                  className="mt-0.5 size-4 rounded border-slate-300 accent-indigo-600"
                />
                <span>
                  <span className="block text-sm font-medium text-slate-700">{field.label}</span>
                  {field.hint ? <span className="block text-xs text-slate-500">{field.hint}</span> : null}
                </span>
              </label>
              <FieldError id={id} message={error} />
            </div>
          );
        }
        const hint = [field.hint, field.defaultValue !== undefined && field.defaultValue !== '' ? `Default: ${String(field.defaultValue)}.` : null]
          .filter(Boolean)
          .join(' ');
        return (
          <Field key={field.key} label={field.label} htmlFor={id} hint={hint || undefined}>
            {field.kind === 'enum' ? (
              <Select id={id} name={`settings.${field.key}`} defaultValue={String(current ?? field.options?.[0] ?? '')} aria-describedby={describedBy}>
                {field.options?.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </Select>
            ) : (
              <Input
                id={id}
                name={`settings.${field.key}`}
                type={field.kind === 'url' ? 'url' : field.kind === 'string' ? 'text' : 'number'}
                inputMode={field.kind === 'integer' ? 'numeric' : undefined}
                step={field.kind === 'integer' ? 1 : undefined}
                min={field.min}
                max={field.max}
                maxLength={field.maxLength}
                defaultValue={current === undefined || current === null ? '' : String(current)}
                placeholder={field.kind === 'url' ? 'https://…' : field.defaultValue === undefined ? 'Optional' : undefined}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy}
                autoComplete="off"
                spellCheck={false}
                className={invalidRing(error)}
              />
            )}
            <FieldError id={id} message={error} />
          </Field>
        );
      })}
    </div>
  );
}

/** The preset's settings from the form; empty optional fields are left out so defaults apply. */
export function readSettings(form: FormData, fields: SettingField[], keep: Record<string, unknown> = {}): Record<string, unknown> {
  const settings: Record<string, unknown> = { ...keep };
  for (const field of fields) {
    const name = `settings.${field.key}`;
    if (field.kind === 'boolean') {
      settings[field.key] = form.get(name) === 'on';
      continue;
    }
    const raw = String(form.get(name) ?? '').trim();
    if (raw === '') continue;
    settings[field.key] = field.kind === 'integer' || field.kind === 'number' ? Number(raw) : raw;
  }
  return settings;
}
