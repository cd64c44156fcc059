/**
 * Input schemas of destinations, shared by the JSON API and the dashboard forms. Strict objects:
 * an unknown field is a 422. The URL's network checks (DNS, private ranges) need I/O and run in
 * the domain module (`url-safety.ts`); the schema checks only its shape.
 */
import { destinationAlertSettingsSchema } from '@/lib/alerts/alert-settings';
import { HOP_BY_HOP_HEADERS } from '@/lib/http/hop-by-hop';
import { z } from 'zod';
import { jsonPathSchema } from '@/lib/json-path/json-path.schema';
import { destinationOptionsInputSchema } from './destination-options';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const MIN_TIMEOUT_MS = 1_000;
export const MAX_TIMEOUT_MS = 120_000;
export const MAX_RETRY_DELAY_SECONDS = 7 * 86_400;
export const MAX_HEADERS = 50;

/**
 * Headers a destination may not set: hop-by-hop headers (RFC 9110 §7.6.1) and `host`/`content-length`,
 * which the worker derives from the URL and the body, and the Standard Webhooks signature headers,
 * which the worker sets itself (a static one would be a forged signature).
 */
const FORBIDDEN_HEADERS = new Set(HOP_BY_HOP_HEADERS);

export function forbiddenHeaderReason(name: string): string | null {
  const lower = name.toLowerCase();
  if (FORBIDDEN_HEADERS.has(lower)) return `${lower} is set by Hookyard (hop-by-hop or derived from the request)`;
  if (lower.startsWith('webhook-')) return `${lower} is reserved for the Standard Webhooks signature Hookyard adds`;
  return null;
}

const headerName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'Not a valid header name');

export const destinationHeadersSchema = z
  .record(
    headerName,
    z
      .string()
      .max(4096)
      .regex(/^[^\r\n\0]*$/, 'Header values cannot contain line breaks'),
  )
  .superRefine((headers, ctx) => {
    const seen = new Set<string>();
    const names = Object.keys(headers);
    if (names.length > MAX_HEADERS) ctx.addIssue({ code: 'custom', message: `At most ${MAX_HEADERS} headers` });
    for (const name of names) {
      const reason = forbiddenHeaderReason(name);
      if (reason) ctx.addIssue({ code: 'custom', path: [name], message: `${reason}; remove it` });
      if (seen.has(name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [name], message: 'This header is given twice' });
      seen.add(name.toLowerCase());
    }
  })
  // Stored lower-cased, as HTTP/2 sends them and as the worker merges them.
  .transform((headers) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])));

const nameSchema = z.string().trim().min(1, 'Give the destination a name').max(200);
const urlSchema = z.string().trim().min(1).max(2048);
const timeoutSchema = z.number().int().min(MIN_TIMEOUT_MS, `At least ${MIN_TIMEOUT_MS} ms`).max(MAX_TIMEOUT_MS, `At most ${MAX_TIMEOUT_MS} ms`);
export const retryScheduleSchema = z
  .array(z.number().int().min(0).max(MAX_RETRY_DELAY_SECONDS, `Each delay is at most ${MAX_RETRY_DELAY_SECONDS} seconds (7 days)`))
  .min(1, 'At least one attempt')
  .max(20, 'At most 20 attempts');
const maxConcurrencySchema = z.number().int().min(1).max(1000);
const rateLimitSchema = z.number().int().min(1).max(1_000_000);

export const createDestinationSchema = z.strictObject({
  name: nameSchema,
  /** http(s), or a broker: amqp(s), redis(s), nats (lib/destinations/destination-options.ts). */
  url: urlSchema,
  /** Per-scheme options, validated against the URL's type when saved (destination-options.ts). */
  options: destinationOptionsInputSchema.optional(),
  timeoutMs: timeoutSchema.optional(),
  /** Seconds before each attempt; the first entry is the first attempt's delay. */
  retrySchedule: retryScheduleSchema.optional(),
  headers: destinationHeadersSchema.optional(),
  /** JSON path such as data.object.id; deliveries with equal values go out one at a time, in order. */
  orderingKey: jsonPathSchema.nullable().optional(),
  maxConcurrency: maxConcurrencySchema.optional(),
  rateLimitPerSecond: rateLimitSchema.nullable().optional(),
  /** The failure-rate and backlog-age rules' thresholds (lib/alerts/alert-settings.ts); defaults when absent. */
  alertSettings: destinationAlertSettingsSchema.optional(),
});
export type CreateDestinationInput = z.infer<typeof createDestinationSchema>;

export const updateDestinationSchema = z
  .strictObject({
    name: nameSchema.optional(),
    /** A broker URL sent back with its password (or NATS token) masked (`***`) keeps the stored one. */
    url: urlSchema.optional(),
    /** Replaces the options; validated against the (new or stored) URL's type. */
    options: destinationOptionsInputSchema.optional(),
    timeoutMs: timeoutSchema.optional(),
    retrySchedule: retryScheduleSchema.optional(),
    /** Replaces the whole set of headers; `{}` removes them all. */
    headers: destinationHeadersSchema.optional(),
    orderingKey: jsonPathSchema.nullable().optional(),
    maxConcurrency: maxConcurrencySchema.optional(),
    rateLimitPerSecond: rateLimitSchema.nullable().optional(),
    /** Merged per rule: a rule given as null goes back to its defaults. */
    alertSettings: destinationAlertSettingsSchema.optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'Nothing to change: send at least one field');
export type UpdateDestinationInput = z.infer<typeof updateDestinationSchema>;
