import type { ActionResult } from '@/lib/http/action-result';

type ActionError = Extract<ActionResult<unknown>, { ok: false }>['error'];

export interface FormErrors {
  /** Messages by field path (`name`, `settings.toleranceSeconds`, `headers.0.name`). */
  fields: Record<string, string>;
  /** What could not be tied to a field. */
  form: string | null;
}

/**
 * Spreads a server action's error over the form's fields. Validation errors arrive as
 * "path: message" (lib/http/errors.ts puts the first issue's path first); `details`, when the
 * wrapper passes them on, give every issue. `stripPrefix` drops the action's own nesting
 * (`changes.`), `aliases` maps server paths to field names, and `conflicts` names the field a 409
 * is about.
 */
export function formErrorsFrom(
  error: ActionError,
  options: { knownFields: readonly string[]; conflicts?: string; aliases?: Record<string, string>; stripPrefix?: string },
): FormErrors {
  const fields: Record<string, string> = {};
  const resolve = (raw: string): string | null => {
    const path = options.stripPrefix && raw.startsWith(options.stripPrefix) ? raw.slice(options.stripPrefix.length) : raw;
    const aliased = options.aliases?.[path] ?? path;
    if (options.knownFields.includes(aliased)) return aliased;
    // "settings.toleranceSeconds.0" → the closest known parent.
    const parts = aliased.split('.');
    for (let i = parts.length - 1; i > 0; i--) {
      const parent = parts.slice(0, i).join('.');
      const mapped = options.aliases?.[parent] ?? parent;
      if (options.knownFields.includes(mapped)) return mapped;
    }
    return null;
  };
  const details = (error as { details?: unknown }).details;
  if (Array.isArray(details)) {
    for (const issue of details as { path?: unknown; message?: unknown }[]) {
      if (typeof issue.path !== 'string' || typeof issue.message !== 'string') continue;
      const field = resolve(issue.path);
      if (field && !fields[field]) fields[field] = issue.message;
    }
  }
  if (error.code === 'invalid_input') {
    const match = /^([\w.$-]+): (.+)$/s.exec(error.message);
    if (match?.[1] && match[2]) {
      const field = resolve(match[1]);
      if (field) {
        fields[field] ??= match[2];
        return { fields, form: null };
      }
    }
  }
  if (error.code === 'conflict' && options.conflicts) {
    fields[options.conflicts] = error.message;
    return { fields, form: null };
  }
  return { fields, form: Object.keys(fields).length > 0 && error.code === 'invalid_input' ? null : error.message };
}

/** Moves focus (and the viewport) to the first field with an error, so it is not missed. */
export function focusFirstError(errors: FormErrors, idOf: (field: string) => string = (field) => field): void {
  const first = Object.keys(errors.fields)[0];
  if (!first) return;
  requestAnimationFrame(() => document.getElementById(idOf(first))?.focus());
}
