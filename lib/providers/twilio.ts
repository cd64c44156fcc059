/**
 * Twilio: `X-Twilio-Signature: <base64 HMAC-SHA1>` keyed with the account's auth token, over the
 * full URL Twilio called followed by every POST parameter (sorted by name, `name + value`, no
 * separators). JSON bodies are not signed directly: Twilio adds `bodySHA256=<hex SHA-256 of the
 * body>` to the URL and signs the URL alone. As Twilio's own library does, the URL is tried as given,
 * without its port and with the default port. https://www.twilio.com/docs/usage/webhooks/webhooks-security
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeSignature, hmac, randomHex, sha256, timingSafeEqualBytes } from './crypto';
import { asObject, fail, findMatchingSecret, getHeader, noSecrets, ok, stringField } from './parse';
import type { ParsedBody, ProviderPreset } from './types';

export const twilioSettingsSchema = z.object({
  /**
   * The exact webhook URL configured in Twilio, when it differs from what Hookyard derives from
   * HOOKYARD_PUBLIC_URL (e.g. behind a rewriting proxy). Query strings Twilio sends (bodySHA256)
   * are added to it.
   */
  signedUrl: z.url().optional(),
});
export type TwilioSettings = z.output<typeof twilioSettingsSchema>;

const URL_PARTS_RE = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is;

/** The URL as given, without its port, and with the scheme's default port, without normalising anything else. */
export function twilioUrlVariants(url: string): string[] {
  const m = URL_PARTS_RE.exec(url);
  if (!m) return [url];
  const [, scheme = '', authority = '', rest = ''] = m;
  const at = authority.lastIndexOf('@');
  const userInfo = authority.slice(0, at + 1);
  const hostPort = authority.slice(at + 1);
  const colon = hostPort.indexOf(':', hostPort.lastIndexOf(']') + 1);
  const host = colon === -1 ? hostPort : hostPort.slice(0, colon);
  const defaultPort = scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  const withoutPort = scheme + userInfo + host + rest;
  const withPort = colon === -1 ? scheme + userInfo + host + defaultPort + rest : url;
  return [...new Set([url, withoutPort, withPort])];
}

/** `name + value` for every parameter, names sorted; repeated names contribute each distinct value, sorted. */
export function twilioParamString(params: URLSearchParams): string {
  const names = [...new Set(params.keys())].sort();
  let out = '';
  for (const name of names) {
    for (const value of [...new Set(params.getAll(name))].sort()) out += name + value;
  }
  return out;
}

function effectiveUrl(requestUrl: string, signedUrl: string | undefined): string {
  if (!signedUrl) return requestUrl;
  // Keep Twilio's own query (bodySHA256) when the configured URL has none.
  const query = requestUrl.includes('?') ? requestUrl.slice(requestUrl.indexOf('?')) : '';
  return signedUrl.includes('?') ? signedUrl : signedUrl + query;
}

function bodySha256Param(url: string): string | null {
  try {
    return new URL(url).searchParams.get('bodySHA256');
  } catch {
    return null;
  }
}

export const twilio: ProviderPreset<TwilioSettings> = {
  id: 'twilio',
  label: 'Twilio',
  secretLabel: 'Auth token',
  needsSecret: true,
  settingsSchema: twilioSettingsSchema,

  verify(request, secrets, settings) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, 'x-twilio-signature');
    if (!header) return fail('missing_header', 'X-Twilio-Signature');
    const signature = decodeSignature(header, 'base64');
    if (!signature) return fail('malformed_header', 'X-Twilio-Signature is not base64');

    const url = effectiveUrl(request.url, settings.signedUrl);
    const bodyHash = bodySha256Param(url);
    const params = bodyHash === null ? twilioParamString(new URLSearchParams(request.rawBody.toString('utf8'))) : '';
    const contents = twilioUrlVariants(url).map((candidate) => candidate + params);

    const matched = findMatchingSecret(secrets, (secret) =>
      contents.map((content) => timingSafeEqualBytes(signature, hmac('sha1', secret.value, content))).includes(true),
    );
    if (!matched) return fail('bad_signature');
    if (bodyHash !== null) {
      const expected = sha256(request.rawBody);
      const received = Buffer.from(bodyHash, 'hex');
      if (!/^[0-9a-fA-F]{64}$/.test(bodyHash) || !timingSafeEqualBytes(received, expected)) {
        return fail('bad_signature', 'body does not match bodySHA256');
      }
    }
    return ok(matched.id);
  },

  dedupKey(request) {
    // Twilio sends the same token on every retry of one webhook request.
    return getHeader(request, 'i-twilio-idempotency-token') ?? null;
  },

  eventType(_request, body: ParsedBody) {
    const form = body.form;
    if (form) {
      const eventType = form.get('EventType');
      if (eventType) return eventType;
      const messageStatus = form.get('MessageStatus') ?? form.get('SmsStatus');
      if (messageStatus) return `message.${messageStatus}`;
      const callStatus = form.get('CallStatus');
      if (callStatus) return `call.${callStatus}`;
    }
    const json = asObject(body.json);
    return (json && (stringField(json, 'type') ?? stringField(json, 'EventType'))) ?? null;
  },

  sampleRequest(secret, url) {
    const params = new URLSearchParams({
      ToCountry: 'US',
      ToState: 'CA',
      SmsMessageSid: `SM${randomHex(16)}`,
      NumMedia: '0',
      SmsSid: `SM${randomHex(16)}`,
      SmsStatus: 'received',
      Body: 'Hello from Hookyard',
      To: '+15005550006',
      NumSegments: '1',
      MessageSid: `SM${randomHex(16)}`,
      AccountSid: `AC${randomHex(16)}`,
      From: '+14155552671',
      ApiVersion: '2010-04-01',
    });
    const signature = hmac('sha1', secret, url + twilioParamString(params)).toString('base64');
    return {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
        'i-twilio-idempotency-token': randomUUID(),
      },
      body: params.toString(),
    };
  },
};
