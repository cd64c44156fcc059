/**
 * The source form's knowledge of each provider preset, derived on the server from the preset
 * itself: its label, what its secret is called, whether it needs one, and a form field for every
 * setting in its zod `settingsSchema` (type, bounds, choices and default from `z.toJSONSchema`
 * plus the parsed defaults). The client form receives this as plain data, so a new setting in a
 * preset shows up in the form without touching the UI.
 */
import { z } from 'zod';
import { providers } from '@/lib/providers';
import type { ProviderId } from '@/lib/providers/types';

export interface SettingField {
  key: string;
  label: string;
  kind: 'integer' | 'number' | 'string' | 'url' | 'boolean' | 'enum';
  options?: string[];
  min?: number;
  max?: number;
  maxLength?: number;
  pattern?: string;
  /** The preset's default; a field without one is optional and may stay empty. */
  defaultValue?: string | number | boolean;
  hint?: string;
}

export interface ProviderOption {
  id: ProviderId;
  label: string;
  secretLabel: string;
  needsSecret: boolean;
  /** What the preset checks, in one line. */
  summary: string;
  /** Which group the select shows it in. */
  group: 'Providers' | 'Configurable schemes';
  fields: SettingField[];
}

/**
 * Settings of the configurable schemes that the common source fields already cover (dedup header,
 * dedup JSON path, event-type JSON path take precedence on the ingest path), so the form does not
 * ask twice. Stored values of these keys are kept when the form saves.
 */
export const SETTINGS_COVERED_BY_SOURCE_FIELDS = ['dedupHeader', 'dedupField', 'eventTypeField'] as const;

const LABELS: Record<string, string> = {
  toleranceSeconds: 'Timestamp tolerance (seconds)',
  allowSha1: 'Also accept SHA-1 signatures',
  allowLegacySignatures: 'Also accept v1 and v2 signatures',
  signedUrl: 'Signed URL',
  notificationUrl: 'Notification URL',
  header: 'Header',
  algorithm: 'Algorithm',
  encoding: 'Signature encoding',
  prefix: 'Signature prefix',
  template: 'Signed content',
  timestampHeader: 'Timestamp header',
  timestampUnit: 'Timestamp unit',
  idHeader: 'Message id header',
  eventTypeHeader: 'Event type header',
};

const HINTS: Record<string, string> = {
  toleranceSeconds: 'How old a signed timestamp may be. 0 turns the check off.',
  allowSha1: 'Accept the legacy X-Hub-Signature (SHA-1) header when the SHA-256 one is absent.',
  allowLegacySignatures: 'Accept HubSpot’s older X-HubSpot-Signature (v1/v2) as well as v3.',
  signedUrl: 'Only when the URL configured at the provider differs from the ingest URL (a rewriting proxy).',
  notificationUrl: 'Only when the notification URL configured in Square differs from the ingest URL.',
  header: 'The request header that carries the signature or token.',
  prefix: 'Text before the value in the header, e.g. sha256= or "Bearer ".',
  template: 'What is signed. Placeholders: {timestamp}, {id}, {body}.',
  timestampHeader: 'Needed when the signed content uses {timestamp}.',
  idHeader: 'Needed when the signed content uses {id}.',
  eventTypeHeader: 'A header holding the event type, e.g. x-event-type.',
};

const SUMMARIES: Record<ProviderId, string> = {
  stripe: 'Stripe-Signature: HMAC-SHA256 of timestamp and body.',
  github: 'X-Hub-Signature-256: HMAC-SHA256 of the body.',
  shopify: 'X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the body.',
  slack: 'X-Slack-Signature v0, with url_verification answered.',
  'standard-webhooks': 'webhook-signature per the Standard Webhooks spec.',
  svix: 'svix-signature (Standard Webhooks).',
  twilio: 'X-Twilio-Signature: HMAC-SHA1 of URL and parameters.',
  paddle: 'Paddle-Signature: HMAC-SHA256 of timestamp and body.',
  square: 'x-square-hmacsha256-signature of URL and body.',
  linear: 'Linear-Signature: HMAC-SHA256 of the body.',
  zoom: 'x-zm-signature v0, with endpoint.url_validation answered.',
  gitlab: 'X-Gitlab-Token equals the secret token.',
  discord: 'Ed25519 signature, checked with the application’s public key.',
  twitch: 'Twitch-Eventsub-Message-Signature, with the challenge answered.',
  hubspot: 'X-HubSpot-Signature-v3 of method, URI, body and timestamp.',
  sendgrid: 'ECDSA signature, checked with the verification public key.',
  hmac: 'An HMAC signature in a header you describe.',
  token: 'A shared token in a header.',
  basic: 'HTTP Basic credentials (user:password).',
  none: 'No verification: every request is accepted, marked unverified.',
};

const CONFIGURABLE = new Set<ProviderId>(['hmac', 'token', 'basic', 'none']);

interface JsonSchemaProperty {
  type?: string;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
}

function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fieldOf(key: string, property: JsonSchemaProperty, defaults: Record<string, unknown>): SettingField {
  const fallback = defaults[key] ?? property.default;
  const defaultValue = typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean' ? fallback : undefined;
  const base = { key, label: LABELS[key] ?? humanize(key), hint: HINTS[key], defaultValue };
  if (Array.isArray(property.enum)) return { ...base, kind: 'enum', options: property.enum.map(String) };
  if (property.type === 'boolean') return { ...base, kind: 'boolean' };
  if (property.type === 'integer' || property.type === 'number') {
    return { ...base, kind: property.type, min: property.minimum, max: property.maximum };
  }
  if (property.format === 'uri') return { ...base, kind: 'url' };
  return { ...base, kind: 'string', maxLength: property.maxLength, pattern: property.pattern };
}

export function settingFieldsOf(schema: z.ZodType): SettingField[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchemaProperty> };
  // Defaults after parsing `{}`: also those behind a transform, which the JSON schema cannot show.
  const parsed = schema.safeParse({});
  const defaults = parsed.success && typeof parsed.data === 'object' && parsed.data !== null ? (parsed.data as Record<string, unknown>) : {};
  return Object.entries(json.properties ?? {})
    .filter(([key]) => !(SETTINGS_COVERED_BY_SOURCE_FIELDS as readonly string[]).includes(key))
    .map(([key, property]) => fieldOf(key, property, defaults));
}

export function providerOptions(): ProviderOption[] {
  return Object.values(providers).map((preset) => ({
    id: preset.id,
    label: preset.label,
    secretLabel: preset.secretLabel,
    needsSecret: preset.needsSecret,
    summary: SUMMARIES[preset.id],
    group: CONFIGURABLE.has(preset.id) ? 'Configurable schemes' : 'Providers',
    fields: settingFieldsOf(preset.settingsSchema),
  }));
}
