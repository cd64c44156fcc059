/**
 * GitLab: the webhook's secret token is sent as-is in `X-Gitlab-Token` (no signature, no
 * timestamp); it is compared in constant time. Retries carry the same `Idempotency-Key` (GitLab
 * 17.4+); older instances only send `X-Gitlab-Event-UUID`.
 * https://docs.gitlab.com/user/project/integrations/webhooks/
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { safeEqualSecret } from './crypto';
import { fail, findMatchingSecret, getHeader, noSecrets, ok, stringField } from './parse';
import type { ProviderPreset } from './types';

export const gitlabSettingsSchema = z.object({});
export type GitlabSettings = z.output<typeof gitlabSettingsSchema>;

export const gitlab: ProviderPreset<GitlabSettings> = {
  id: 'gitlab',
  label: 'GitLab',
  secretLabel: 'Secret token',
  needsSecret: true,
  settingsSchema: gitlabSettingsSchema,
  secretHeaders: () => ['x-gitlab-token'],

  verify(request, secrets) {
    if (secrets.length === 0) return noSecrets();
    // Not trimmed: the token must match byte for byte.
    const token = request.headers['x-gitlab-token'];
    if (token === undefined || token === '') return fail('missing_header', 'X-Gitlab-Token');
    const matched = findMatchingSecret(secrets, (secret) => safeEqualSecret(token, secret.value));
    return matched ? ok(matched.id) : fail('bad_signature', 'token does not match');
  },

  dedupKey(request) {
    return getHeader(request, 'idempotency-key') ?? getHeader(request, 'x-gitlab-event-uuid') ?? null;
  },

  eventType(request, body) {
    return getHeader(request, 'x-gitlab-event') ?? stringField(body.json, 'object_kind') ?? null;
  },

  sampleRequest(secret, _url, now) {
    const body = JSON.stringify({
      object_kind: 'merge_request',
      event_type: 'merge_request',
      user: { id: 1, name: 'Administrator', username: 'root' },
      project: { id: 1, name: 'Gateway', path_with_namespace: 'hookyard/gateway', web_url: 'https://gitlab.example.com/hookyard/gateway' },
      object_attributes: {
        id: 99,
        iid: 1,
        title: 'Add retries',
        state: 'opened',
        action: 'open',
        created_at: now.toISOString(),
        source_branch: 'retries',
        target_branch: 'main',
      },
    });
    const uuid = randomUUID();
    return {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitLab/18.0.0',
        'x-gitlab-event': 'Merge Request Hook',
        'x-gitlab-token': secret,
        'x-gitlab-event-uuid': uuid,
        'x-gitlab-webhook-uuid': randomUUID(),
        'idempotency-key': randomUUID(),
        'x-gitlab-instance': 'https://gitlab.example.com',
      },
      body,
    };
  },
};
