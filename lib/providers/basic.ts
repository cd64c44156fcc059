/**
 * HTTP Basic authentication: `Authorization: Basic base64(user:password)`. The source's secret is
 * the whole `user:password`; the decoded credentials are compared with it in constant time.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { configuredDedupKey, configuredEventType, extractionSettingsShape } from './configurable';
import { safeEqualSecret } from './crypto';
import { fail, findMatchingSecret, getHeader, noSecrets, ok } from './parse';
import type { ProviderPreset } from './types';

export const basicSettingsSchema = z.object({ ...extractionSettingsShape });
export type BasicSettings = z.output<typeof basicSettingsSchema>;

const BASIC_RE = /^basic\s+([A-Za-z0-9+/]+={0,2})$/i;

export const basic: ProviderPreset<BasicSettings> = {
  id: 'basic',
  label: 'HTTP Basic',
  secretLabel: 'Credentials (user:password)',
  needsSecret: true,
  settingsSchema: basicSettingsSchema,
  secretHeaders: () => ['authorization'],

  verify(request, secrets) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, 'authorization');
    if (!header) return fail('missing_header', 'Authorization');
    const m = BASIC_RE.exec(header);
    if (!m || m[1] === undefined) return fail('malformed_header', 'Authorization is not Basic credentials');
    const credentials = Buffer.from(m[1], 'base64').toString('utf8');
    if (!credentials.includes(':')) return fail('malformed_header', 'Basic credentials have no ":"');
    const matched = findMatchingSecret(secrets, (secret) => safeEqualSecret(credentials, secret.value));
    return matched ? ok(matched.id) : fail('bad_signature', 'credentials do not match');
  },

  dedupKey(request, body, settings) {
    return configuredDedupKey(request, body, settings);
  },

  eventType(request, body, settings) {
    return configuredEventType(request, body, settings);
  },

  sampleRequest(secret, _url, now) {
    const body = JSON.stringify({ id: randomUUID(), type: 'test.event', created_at: now.toISOString(), data: { message: 'Hello from Hookyard' } });
    return {
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(secret, 'utf8').toString('base64')}` },
      body,
    };
  },
};
