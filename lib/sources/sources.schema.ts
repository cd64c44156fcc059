/**
 * Input schemas of sources and their secrets, shared by the JSON API and the dashboard forms.
 * Objects are strict: an unknown field is a 422, so a typo never silently does nothing.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { sourceAlertSettingsSchema } from '@/lib/alerts/alert-settings';
import { jsonPathSchema } from '@/lib/json-path/json-path.schema';
import { PROVIDER_IDS } from '@/lib/providers/types';

export const DEFAULT_SIZE_LIMIT_BYTES = 1024 * 1024;
export const MAX_SIZE_LIMIT_BYTES = 25 * 1024 * 1024;
export const MAX_ALLOWLIST_ENTRIES = 200;

export const providerIdSchema = z.enum(PROVIDER_IDS, { error: `Unknown provider; use one of ${PROVIDER_IDS.join(', ')}` });

export const slugSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lowercase letters, digits and single dashes, e.g. "stripe-prod"');

/**
 * One allowlist entry: an IPv4 or IPv6 address, or a CIDR such as 203.0.113.0/24 or
 * 2001:db8::/32. Normalised to `address/prefix`; host bits must be zero so the entry means what
 * it says.
 */
export const cidrSchema = z
  .string()
  .trim()
  .max(100)
  .transform((raw, ctx) => {
    const [address = '', prefixText, ...extra] = raw.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
    if (family === 0 || extra.length > 0 || !(prefix >= 0 && prefix <= max)) {
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not an IP address or CIDR (e.g. 203.0.113.0/24 or 2001:db8::/32)` });
      return z.NEVER;
    }
    if (prefix < max && !isNetworkAddress(address, prefix, family)) {
      ctx.addIssue({ code: 'custom', message: `"${raw}" has host bits set; did you mean the network address of that /${prefix}?` });
      return z.NEVER;
    }
    return `${address.toLowerCase()}/${prefix}`;
  });

/** The address as one big integer (IPv4: 32 bits, IPv6: 128 bits); the input is valid per `isIP`. */
function addressBits(address: string, family: number): bigint {
  if (family === 4) return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const v4 = addressBits(dotted, 4);
    text = `${text.slice(0, -dotted.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return all.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

function isNetworkAddress(address: string, prefix: number, family: number): boolean {
  const width = family === 6 ? 128 : 32;
  const hostBits = BigInt(width - prefix);
  const mask = (1n << hostBits) - 1n;
  return (addressBits(address, family) & mask) === 0n;
}

export const headerNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'Not a valid header name')
  .transform((s) => s.toLowerCase());

const nameSchema = z.string().trim().min(1, 'Give the source a name').max(200);
const settingsInputSchema = z.record(z.string(), z.unknown(), { error: 'settings must be a JSON object' });
const sizeLimitSchema = z.number().int().min(1024, 'At least 1024 bytes').max(MAX_SIZE_LIMIT_BYTES, `At most ${MAX_SIZE_LIMIT_BYTES} bytes (25 MiB)`);
const rateLimitSchema = z.number().int().min(1).max(1_000_000);
const allowlistSchema = z.array(cidrSchema).max(MAX_ALLOWLIST_ENTRIES);

export const createSourceSchema = z.strictObject({
  name: nameSchema,
  /** Generated from the name when absent. */
  slug: slugSchema.optional(),
  provider: providerIdSchema,
  /** The preset's own settings (validated against its schema); defaults when absent. */
  settings: settingsInputSchema.optional(),
  sizeLimitBytes: sizeLimitSchema.optional(),
  rateLimitPerSecond: rateLimitSchema.nullable().optional(),
  ipAllowlist: allowlistSchema.optional(),
  dedupHeader: headerNameSchema.nullable().optional(),
  dedupJsonPath: jsonPathSchema.nullable().optional(),
  dedupEnabled: z.boolean().optional(),
  eventTypeJsonPath: jsonPathSchema.nullable().optional(),
  /** expectedEvery and the rejection spike's thresholds (lib/alerts/alert-settings.ts); defaults when absent. */
  alertSettings: sourceAlertSettingsSchema.optional(),
});
export type CreateSourceInput = z.infer<typeof createSourceSchema>;

export const updateSourceSchema = z
  .strictObject({
    name: nameSchema.optional(),
    slug: slugSchema.optional(),
    provider: providerIdSchema.optional(),
    settings: settingsInputSchema.optional(),
    /** `active` re-enables a disabled source; `disabled` is the same as DELETE. */
    status: z.enum(['active', 'disabled']).optional(),
    sizeLimitBytes: sizeLimitSchema.optional(),
    rateLimitPerSecond: rateLimitSchema.nullable().optional(),
    ipAllowlist: allowlistSchema.optional(),
    dedupHeader: headerNameSchema.nullable().optional(),
    dedupJsonPath: jsonPathSchema.nullable().optional(),
    dedupEnabled: z.boolean().optional(),
    eventTypeJsonPath: jsonPathSchema.nullable().optional(),
    /** Merged per rule: a rule given as null goes back to its defaults; `expectedEvery: null` stops watching. */
    alertSettings: sourceAlertSettingsSchema.optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'Nothing to change: send at least one field');
export type UpdateSourceInput = z.infer<typeof updateSourceSchema>;
