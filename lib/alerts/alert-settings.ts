/**
 * `alertSettings` of sources and destinations (SPEC "Alerts and notifications"; docs/alerts.md):
 * the thresholds of the alert rules (lib/alerts/rules), each rule with defaults and an on/off
 * switch per target, and a source's `expectedEvery`.
 *
 * What is stored (`sources.alert_settings`, `destinations.alert_settings`, jsonb) is only what
 * someone set: a rule left alone follows the defaults, also when a later version changes them.
 * What is shown and answered is the effective settings, defaults filled in. A PATCH merges per
 * rule: `{ "failureRate": { "threshold": 0.3 } }` changes that one number, `{ "failureRate": null }`
 * puts the rule back to its defaults, `{ "expectedEvery": null }` stops watching the source.
 *
 * The same schemas validate the API, the dashboard's forms and the rules' reading of the stored
 * jsonb (which falls back to the defaults, field by field, on anything it does not recognise).
 */
import { z } from 'zod';
import {
  type BacklogAgeRule,
  DEFAULT_BACKLOG_AGE,
  DEFAULT_FAILURE_RATE,
  DEFAULT_REJECTION_SPIKE,
  type DestinationAlertSettings,
  type FailureRateRule,
  type RejectionSpikeRule,
  type SourceAlertSettings,
} from './alert-rule-defaults';

/** Rule windows are read from per-minute counters, so they are whole minutes. */
export const MIN_WINDOW_SECONDS = 60;
export const MAX_WINDOW_SECONDS = 86_400;
/** The evaluator looks every 15 s by default; a source expected more often than this could not be told apart from noise. */
export const MIN_EXPECTED_EVERY_SECONDS = 10;
export const MAX_EXPECTED_EVERY_SECONDS = 30 * 86_400;
export const MIN_BACKLOG_AGE_SECONDS = 60;
export const MAX_BACKLOG_AGE_SECONDS = 7 * 86_400;

export {
  DEFAULT_BACKLOG_AGE,
  DEFAULT_FAILURE_RATE,
  DEFAULT_REJECTION_SPIKE,
  type BacklogAgeRule,
  type DestinationAlertSettings,
  type FailureRateRule,
  type RejectionSpikeRule,
  type SourceAlertSettings,
} from './alert-rule-defaults';

const windowSchema = z
  .number({ error: 'A number of seconds' })
  .int('A whole number of seconds')
  .min(MIN_WINDOW_SECONDS, `At least ${MIN_WINDOW_SECONDS} seconds`)
  .max(MAX_WINDOW_SECONDS, `At most ${MAX_WINDOW_SECONDS} seconds (1 day)`)
  .refine((seconds) => seconds % 60 === 0, 'A whole number of minutes (60, 300, 900 …): the rule reads per-minute counters');
const enabledSchema = z.boolean({ error: 'true or false' });

const failureRateInput = z.strictObject({
  enabled: enabledSchema.optional(),
  threshold: z
    .number({ error: 'A share between 0 and 1, e.g. 0.5 for 50%' })
    .gt(0, 'More than 0 (0.5 means 50% of attempts failed)')
    .max(1, 'At most 1 (100% of attempts failed)')
    .optional(),
  windowSeconds: windowSchema.optional(),
  minAttempts: z.number({ error: 'A number of attempts' }).int('A whole number of attempts').min(1, 'At least 1').max(1_000_000).optional(),
});

const backlogAgeInput = z.strictObject({
  enabled: enabledSchema.optional(),
  thresholdSeconds: z
    .number({ error: 'A number of seconds' })
    .int('A whole number of seconds')
    .min(MIN_BACKLOG_AGE_SECONDS, `At least ${MIN_BACKLOG_AGE_SECONDS} seconds`)
    .max(MAX_BACKLOG_AGE_SECONDS, `At most ${MAX_BACKLOG_AGE_SECONDS} seconds (7 days)`)
    .optional(),
});

const rejectionSpikeInput = z.strictObject({
  enabled: enabledSchema.optional(),
  threshold: z.number({ error: 'A number of requests' }).int('A whole number of requests').min(1, 'At least 1').max(1_000_000).optional(),
  windowSeconds: windowSchema.optional(),
});

const expectedEverySchema = z
  .number({ error: 'A number of seconds, or null to stop watching' })
  .int('A whole number of seconds')
  .min(MIN_EXPECTED_EVERY_SECONDS, `At least ${MIN_EXPECTED_EVERY_SECONDS} seconds`)
  .max(MAX_EXPECTED_EVERY_SECONDS, `At most ${MAX_EXPECTED_EVERY_SECONDS} seconds (30 days)`);

/** `alertSettings` in POST/PATCH of a destination. */
export const destinationAlertSettingsSchema = z.strictObject(
  {
    failureRate: failureRateInput.nullable().optional(),
    backlogAge: backlogAgeInput.nullable().optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'alertSettings must be an object such as {"failureRate": {"threshold": 0.5}}' : undefined) },
);
export type DestinationAlertSettingsInput = z.infer<typeof destinationAlertSettingsSchema>;

/** `alertSettings` in POST/PATCH of a source. */
export const sourceAlertSettingsSchema = z.strictObject(
  {
    expectedEvery: expectedEverySchema.nullable().optional(),
    rejectionSpike: rejectionSpikeInput.nullable().optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'alertSettings must be an object such as {"expectedEvery": 3600}' : undefined) },
);
export type SourceAlertSettingsInput = z.infer<typeof sourceAlertSettingsSchema>;

/** What `sources.alert_settings` holds: the overrides, and when watching began (set by the server, never by input). */
interface StoredSourceAlertSettings {
  expectedEvery?: number;
  /** ISO time expectedEvery was first set: a source that never received anything is silent from then. */
  expectedEverySince?: string;
  rejectionSpike?: Partial<RejectionSpikeRule>;
}

interface StoredDestinationAlertSettings {
  failureRate?: Partial<FailureRateRule>;
  backlogAge?: Partial<BacklogAgeRule>;
}

const asObject = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The rule's stored overrides over its defaults, keeping only fields that still validate. */
function effectiveRule<T extends object>(defaults: T, stored: unknown, schema: z.ZodObject): T {
  const rule = { ...defaults } as Record<string, unknown>;
  const shape = schema.shape as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(asObject(stored))) {
    if (key in defaults && shape[key]?.safeParse(value).success) rule[key] = value;
  }
  return rule as T;
}

export function effectiveDestinationAlertSettings(stored: unknown): DestinationAlertSettings {
  const raw = asObject(stored);
  return {
    failureRate: effectiveRule<FailureRateRule>(DEFAULT_FAILURE_RATE, raw.failureRate, failureRateInput),
    backlogAge: effectiveRule<BacklogAgeRule>(DEFAULT_BACKLOG_AGE, raw.backlogAge, backlogAgeInput),
  };
}

export function effectiveSourceAlertSettings(stored: unknown): SourceAlertSettings {
  const raw = asObject(stored);
  const every = expectedEverySchema.safeParse(raw.expectedEvery);
  return {
    expectedEvery: every.success ? every.data : null,
    rejectionSpike: effectiveRule<RejectionSpikeRule>(DEFAULT_REJECTION_SPIKE, raw.rejectionSpike, rejectionSpikeInput),
  };
}

/** When watching for silence began (null when not watched, or set before this was recorded). */
export function expectedEverySince(stored: unknown): Date | null {
  const raw = asObject(stored);
  if (raw.expectedEvery === undefined || raw.expectedEvery === null || typeof raw.expectedEverySince !== 'string') return null;
  const at = new Date(raw.expectedEverySince);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** `patch` over one rule's overrides: undefined keeps them, null drops them (defaults), an object merges. */
function mergeRule<T extends object>(stored: unknown, patch: Partial<T> | null | undefined): Partial<T> | undefined {
  if (patch === null) return undefined;
  const current = asObject(stored) as Partial<T>;
  if (patch === undefined) return Object.keys(current).length > 0 ? current : undefined;
  const merged = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) } as Partial<T>;
  return Object.keys(merged).length > 0 ? merged : undefined;
}

const compact = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** What to store after a PATCH of a destination's `alertSettings`. */
export function mergeDestinationAlertSettings(stored: unknown, patch: DestinationAlertSettingsInput): StoredDestinationAlertSettings {
  const raw = asObject(stored);
  return compact({
    failureRate: mergeRule<FailureRateRule>(raw.failureRate, patch.failureRate),
    backlogAge: mergeRule<BacklogAgeRule>(raw.backlogAge, patch.backlogAge),
  });
}

/** What to store after a PATCH of a source's `alertSettings`; watching starts `now` when expectedEvery is first set. */
export function mergeSourceAlertSettings(stored: unknown, patch: SourceAlertSettingsInput, now: Date): StoredSourceAlertSettings {
  const raw = asObject(stored);
  const wasWatched = typeof raw.expectedEvery === 'number';
  let expectedEvery = wasWatched ? (raw.expectedEvery as number) : undefined;
  let since = wasWatched && typeof raw.expectedEverySince === 'string' ? raw.expectedEverySince : undefined;
  if (patch.expectedEvery === null) {
    expectedEvery = undefined;
    since = undefined;
  } else if (patch.expectedEvery !== undefined) {
    expectedEvery = patch.expectedEvery;
    if (!wasWatched) since = now.toISOString();
  }
  return compact({
    expectedEvery,
    expectedEverySince: expectedEvery === undefined ? undefined : since,
    rejectionSpike: mergeRule<RejectionSpikeRule>(raw.rejectionSpike, patch.rejectionSpike),
  });
}
