/**
 * Shared token: the sender puts a fixed secret in a header (default `x-webhook-token`), optionally
 * after a scheme such as `Bearer `. Compared in constant time (both sides hashed first, so not even
 * the length leaks). No integrity protection of the body: prefer a signing scheme where possible.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { configuredDedupKey, configuredEventType, extractionSettingsShape } from './configurable';
import { safeEqualSecret } from './crypto';
import { fail, findMatchingSecret, noSecrets, ok } from './parse';
import type { ProviderPreset } from './types';

export const tokenSettingsSchema = z.object({
  header: z
    .string()
    .min(1)
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name')
    .transform((s) => s.toLowerCase())
    .default('x-webhook-token'),
  /** Text before the token in the header, e.g. "Bearer " for an Authorization header. */
  prefix: z.string().max(32).default(''),
  ...extractionSettingsShape,
});
export type TokenSettings = z.output<typeof tokenSettingsSchema>;

export const token: ProviderPreset<TokenSettings> = {
  id: 'token',
  label: 'Shared token header',
  secretLabel: 'Token',
  needsSecret: true,
  settingsSchema: tokenSettingsSchema,
  secretHeaders: (settings) => [settings.header],

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const value = request.headers[settings.header];
    if (value === undefined || value === '') return fail('missing_header', settings.header);
    if (settings.prefix && !value.toLowerCase().startsWith(settings.prefix.toLowerCase())) {
      return fail('malformed_header', `${settings.header} does not start with "${settings.prefix.trim()}"`);
    }
    const presented = value.slice(settings.prefix.length);
    const matched = findMatchingSecret(secrets, (secret) => safeEqualSecret(presented, secret.value));
    return matched ? ok(matched.id) : fail('bad_signature', 'token does not match');
  },

  dedupKey(request, body, settings) {
    return configuredDedupKey(request, body, settings);
  },

  eventType(request, body, settings) {
    return configuredEventType(request, body, settings);
  },

  sampleRequest(secret, _url, now, settings) {
    const body = JSON.stringify({ id: randomUUID(), type: 'test.event', created_at: now.toISOString(), data: { message: 'Hello from Hookyard' } });
    return { headers: { 'content-type': 'application/json', [settings.header]: settings.prefix + secret }, body };
  },
};
