/**
 * Slack: `X-Slack-Signature: v0=<hex>`, HMAC-SHA256 of `v0:${X-Slack-Request-Timestamp}:${body}`
 * keyed with the app's signing secret. Slack's docs reject a timestamp "more than five minutes from
 * local time", i.e. a two-sided window. Events API bodies are JSON; slash commands and
 * interactivity are form bodies (interactivity carries JSON in the `payload` field).
 * https://api.slack.com/authentication/verifying-requests-from-slack
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeSignature, hmac, isWithinWindow, parseUnixTimestamp, randomHex } from './crypto';
import { asObject, fail, findSecretBySignature, getHeader, jsonFromFormField, noSecrets, ok, stringField } from './parse';
import type { ParsedBody, ProviderPreset } from './types';

export const slackSettingsSchema = z.object({
  toleranceSeconds: z.number().int().min(0).max(86_400).default(300),
});
export type SlackSettings = z.output<typeof slackSettingsSchema>;

/** The JSON that describes the request: the body itself, or the form's `payload` field. */
function slackJson(body: ParsedBody): Record<string, unknown> | undefined {
  return asObject(body.json) ?? asObject(jsonFromFormField(body, 'payload'));
}

export const slack: ProviderPreset<SlackSettings> = {
  id: 'slack',
  label: 'Slack',
  secretLabel: 'Signing secret',
  needsSecret: true,
  settingsSchema: slackSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, 'x-slack-signature');
    if (!header) return fail('missing_header', 'X-Slack-Signature');
    const timestamp = getHeader(request, 'x-slack-request-timestamp');
    if (!timestamp) return fail('missing_header', 'X-Slack-Request-Timestamp');
    const timestampMs = parseUnixTimestamp(timestamp);
    if (timestampMs === null) return fail('malformed_header', 'X-Slack-Request-Timestamp is not a Unix time');
    if (!header.startsWith('v0=')) return fail('malformed_header', 'X-Slack-Signature does not start with v0=');
    const signature = decodeSignature(header.slice(3), 'hex');
    if (!signature) return fail('malformed_header', 'X-Slack-Signature is not hex');

    const matched = findSecretBySignature(secrets, [signature], (secret) => hmac('sha256', secret.value, [`v0:${timestamp}:`, request.rawBody]));
    if (!matched) return fail('bad_signature');
    const window = { maxAgeSeconds: settings.toleranceSeconds, maxFutureSeconds: settings.toleranceSeconds };
    if (!isWithinWindow(timestampMs, request.receivedAt, window)) return fail('stale_timestamp', `timestamp ${timestamp}`);
    return ok(matched.id);
  },

  dedupKey(_request, body) {
    // Events API deliveries (and their retries, X-Slack-Retry-Num) share event_id. Slash commands and
    // interactions are not retried by Slack and carry no idempotency key.
    return stringField(body.json, 'event_id') ?? null;
  },

  eventType(_request, body) {
    const json = slackJson(body);
    if (json) {
      const type = stringField(json, 'type');
      if (type === 'event_callback') return stringField(json.event, 'type') ?? type;
      if (type) return type;
    }
    const command = body.form?.get('command');
    if (command) return `slash_command:${command}`;
    return null;
  },

  handshake(_request, body) {
    const json = asObject(body.json);
    if (json && json.type === 'url_verification') {
      const challenge = stringField(json, 'challenge');
      if (challenge === undefined) return null;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge }) };
    }
    // Slash command endpoints get periodic `ssl_check=1` requests; Slack only needs a 200.
    if (body.form?.get('ssl_check') === '1') return { status: 200, headers: { 'content-type': 'text/plain' }, body: '' };
    return null;
  },

  sampleRequest(secret, _url, now) {
    const ts = Math.floor(now.getTime() / 1000);
    const body = JSON.stringify({
      token: 'deprecated-verification-token',
      team_id: 'T0001',
      api_app_id: 'A0001',
      event: {
        type: 'app_mention',
        user: 'U0001',
        text: '<@U0002> deploy the gateway',
        ts: `${ts}.000100`,
        channel: 'C0001',
        event_ts: `${ts}.000100`,
      },
      type: 'event_callback',
      event_id: `Ev${randomHex(5).toUpperCase()}`,
      event_time: ts,
      event_context: randomUUID(),
    });
    const signature = hmac('sha256', secret, `v0:${ts}:${body}`).toString('hex');
    return {
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': `v0=${signature}`,
      },
      body,
    };
  },
};
