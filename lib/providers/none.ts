/**
 * No verification: every request is accepted (secretId null). Allowed, but the dashboard shows such
 * sources as unverified.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { configuredDedupKey, configuredEventType, extractionSettingsShape } from './configurable';
import { ok } from './parse';
import type { ProviderPreset } from './types';

export const noneSettingsSchema = z.object({ ...extractionSettingsShape });
export type NoneSettings = z.output<typeof noneSettingsSchema>;

export const none: ProviderPreset<NoneSettings> = {
  id: 'none',
  label: 'None (unverified)',
  secretLabel: 'No secret',
  needsSecret: false,
  settingsSchema: noneSettingsSchema,

  verify() {
    return ok(null);
  },

  dedupKey(request, body, settings) {
    return configuredDedupKey(request, body, settings);
  },

  eventType(request, body, settings) {
    return configuredEventType(request, body, settings);
  },

  sampleRequest(_secret, _url, now) {
    const body = JSON.stringify({ id: randomUUID(), type: 'test.event', created_at: now.toISOString(), data: { message: 'Hello from Hookyard' } });
    return { headers: { 'content-type': 'application/json' }, body };
  },
};
