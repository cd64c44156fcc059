/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the raw body with the webhook secret.
 * No timestamp. The legacy SHA-1 `X-Hub-Signature` is accepted only when enabled in settings.
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeSignature, hmac, randomHex } from './crypto';
import { fail, findSecretBySignature, getHeader, noSecrets, ok, stringField } from './parse';
import type { ProviderPreset } from './types';

export const githubSettingsSchema = z.object({
  /** Accept the legacy `X-Hub-Signature: sha1=…` when the SHA-256 header is absent (GitHub Enterprise Server < 3.0). */
  allowSha1: z.boolean().default(false),
});
export type GithubSettings = z.output<typeof githubSettingsSchema>;

export const github: ProviderPreset<GithubSettings> = {
  id: 'github',
  label: 'GitHub',
  secretLabel: 'Webhook secret',
  needsSecret: true,
  settingsSchema: githubSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    let header = getHeader(request, 'x-hub-signature-256');
    let algorithm: 'sha256' | 'sha1' = 'sha256';
    if (!header && settings.allowSha1) {
      header = getHeader(request, 'x-hub-signature');
      algorithm = 'sha1';
    }
    if (!header) return fail('missing_header', 'X-Hub-Signature-256');
    const prefix = `${algorithm}=`;
    if (!header.startsWith(prefix)) return fail('malformed_header', `signature does not start with ${prefix}`);
    const signature = decodeSignature(header.slice(prefix.length), 'hex');
    if (!signature) return fail('malformed_header', 'signature is not hex');

    const matched = findSecretBySignature(secrets, [signature], (secret) => hmac(algorithm, secret.value, request.rawBody));
    return matched ? ok(matched.id) : fail('bad_signature');
  },

  dedupKey(request) {
    return getHeader(request, 'x-github-delivery') ?? null;
  },

  eventType(request, body) {
    const event = getHeader(request, 'x-github-event');
    if (!event) return null;
    const action = stringField(body.json, 'action');
    return action ? `${event}.${action}` : event;
  },

  sampleRequest(secret) {
    const body = JSON.stringify({
      action: 'opened',
      number: 42,
      pull_request: {
        id: Number.parseInt(randomHex(3), 16),
        number: 42,
        title: 'Add webhook gateway',
        state: 'open',
        html_url: 'https://github.com/octo-org/octo-repo/pull/42',
      },
      repository: { id: 1296269, full_name: 'octo-org/octo-repo' },
      sender: { login: 'octocat', id: 1 },
    });
    return {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/hookyard-test',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomUUID(),
        'x-github-hook-id': '123456',
        'x-hub-signature-256': `sha256=${hmac('sha256', secret, body).toString('hex')}`,
      },
      body,
    };
  },
};
