/**
 * Generic HMAC, for senders without a preset. Configurable: the signature header, algorithm
 * (sha1/sha256/sha512), encoding (hex/base64), an optional prefix such as `sha256=`, and the signed
 * content as a template of `{timestamp}`, `{id}` and `{body}` (e.g. `"{id}.{timestamp}.{body}"`),
 * with the timestamp and id taken from headers. A timestamp, when configured, must lie within
 * `toleranceSeconds` of the receive time in either direction. The header may carry several
 * signatures separated by spaces or commas; any one matching any active secret is enough.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeSignature, hmac, isWithinWindow, parseUnixTimestamp, randomHex, type SignatureEncoding } from './crypto';
import { configuredDedupKey, configuredEventType, extractionSettingsShape } from './configurable';
import { fail, findSecretBySignature, getHeader, noSecrets, ok } from './parse';
import type { ProviderPreset } from './types';

const headerName = z
  .string()
  .min(1)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name')
  .transform((s) => s.toLowerCase());

export const hmacSettingsSchema = z
  .object({
    header: headerName.default('x-signature'),
    algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    /** Text before the signature in the header, e.g. "sha256=" or "v1=". */
    prefix: z.string().max(32).default(''),
    /** The signed content. Placeholders: {timestamp}, {id}, {body}. */
    template: z.string().min(1).max(200).default('{body}'),
    timestampHeader: headerName.optional(),
    timestampUnit: z.enum(['s', 'ms']).default('s'),
    idHeader: headerName.optional(),
    /** Allowed distance of the timestamp from the receive time, both directions; 0 disables the check. */
    toleranceSeconds: z.number().int().min(0).max(86_400).default(300),
    ...extractionSettingsShape,
  })
  .superRefine((s, ctx) => {
    if (!s.template.includes('{body}')) {
      ctx.addIssue({ code: 'custom', path: ['template'], message: 'the template must include {body}, or the body would not be signed' });
    }
    if (s.template.includes('{timestamp}') && !s.timestampHeader) {
      ctx.addIssue({ code: 'custom', path: ['timestampHeader'], message: 'the template uses {timestamp}, so a timestamp header is required' });
    }
    if (s.template.includes('{id}') && !s.idHeader) {
      ctx.addIssue({ code: 'custom', path: ['idHeader'], message: 'the template uses {id}, so an id header is required' });
    }
  });
export type HmacSettings = z.output<typeof hmacSettingsSchema>;

/** Builds the signed bytes from the template; the body is inserted as raw bytes. */
export function renderTemplate(template: string, values: { timestamp?: string; id?: string; body: Buffer }): Buffer {
  const parts: Buffer[] = [];
  for (const piece of template.split(/(\{timestamp\}|\{id\}|\{body\})/)) {
    if (piece === '{body}') parts.push(values.body);
    else if (piece === '{timestamp}') parts.push(Buffer.from(values.timestamp ?? '', 'utf8'));
    else if (piece === '{id}') parts.push(Buffer.from(values.id ?? '', 'utf8'));
    else if (piece.length > 0) parts.push(Buffer.from(piece, 'utf8'));
  }
  return Buffer.concat(parts);
}

/** Every plausible signature in the header: the whole value, and its space- or comma-separated pieces. */
function signatureCandidates(header: string, prefix: string, encoding: SignatureEncoding): Buffer[] {
  const pieces = new Set<string>([header, ...header.split(/\s+/), ...header.split(/[\s,]+/)]);
  const out: Buffer[] = [];
  for (const raw of pieces) {
    const piece = raw.trim();
    if (prefix && !piece.startsWith(prefix)) continue;
    const decoded = decodeSignature(piece.slice(prefix.length), encoding);
    if (decoded) out.push(decoded);
    if (out.length >= 16) break; // bound the work an attacker can cause
  }
  return out;
}

export const hmacPreset: ProviderPreset<HmacSettings> = {
  id: 'hmac',
  label: 'Generic HMAC',
  secretLabel: 'Shared signing secret',
  needsSecret: true,
  settingsSchema: hmacSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, settings.header);
    if (!header) return fail('missing_header', settings.header);
    let timestamp: string | undefined;
    let timestampMs: number | null = null;
    if (settings.timestampHeader) {
      timestamp = getHeader(request, settings.timestampHeader);
      if (!timestamp) return fail('missing_header', settings.timestampHeader);
      timestampMs = parseUnixTimestamp(timestamp, settings.timestampUnit);
      if (timestampMs === null) return fail('malformed_header', `${settings.timestampHeader} is not a Unix time`);
    }
    let id: string | undefined;
    if (settings.idHeader) {
      id = getHeader(request, settings.idHeader);
      if (!id) return fail('missing_header', settings.idHeader);
    }
    const candidates = signatureCandidates(header, settings.prefix, settings.encoding);
    if (candidates.length === 0) {
      return fail('malformed_header', `${settings.header} holds no ${settings.prefix ? `${settings.prefix}… ` : ''}${settings.encoding} signature`);
    }

    const content = renderTemplate(settings.template, { timestamp, id, body: request.rawBody });
    const matched = findSecretBySignature(secrets, candidates, (secret) => hmac(settings.algorithm, secret.value, content));
    if (!matched) return fail('bad_signature');
    if (timestampMs !== null) {
      const window = { maxAgeSeconds: settings.toleranceSeconds, maxFutureSeconds: settings.toleranceSeconds };
      if (!isWithinWindow(timestampMs, request.receivedAt, window)) return fail('stale_timestamp', `timestamp ${timestamp}`);
    }
    return ok(matched.id);
  },

  dedupKey(request, body, settings) {
    if (settings && !settings.dedupHeader && !settings.dedupField && settings.idHeader) {
      return getHeader(request, settings.idHeader) ?? null;
    }
    return configuredDedupKey(request, body, settings);
  },

  eventType(request, body, settings) {
    return configuredEventType(request, body, settings);
  },

  sampleRequest(secret, _url, now, settings) {
    const id = settings.idHeader ? `evt_${randomHex(12)}` : undefined;
    const timestamp = settings.timestampHeader ? String(settings.timestampUnit === 'ms' ? now.getTime() : Math.floor(now.getTime() / 1000)) : undefined;
    const body = JSON.stringify({
      id: id ?? randomUUID(),
      type: 'test.event',
      created_at: now.toISOString(),
      data: { message: 'Hello from Hookyard' },
    });
    const content = renderTemplate(settings.template, { timestamp, id, body: Buffer.from(body, 'utf8') });
    const signature = hmac(settings.algorithm, secret, content).toString(settings.encoding);
    const headers: Record<string, string> = { 'content-type': 'application/json', [settings.header]: settings.prefix + signature };
    if (settings.timestampHeader && timestamp) headers[settings.timestampHeader] = timestamp;
    if (settings.idHeader && id) headers[settings.idHeader] = id;
    return { headers, body };
  },
};
