/**
 * Standard Webhooks signatures for forwards (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `${id}.${timestamp}.${body}` keyed with the base64-decoded part of `whsec_…`, sent as
 * `v1,<base64>`. During a rotation every active secret signs, space-separated, so a receiver
 * holding either the old or the new secret accepts the request.
 */
import { createHmac } from 'node:crypto';

export function secretKeyBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export function standardWebhooksHeaders(input: { id: string; timestamp: number; body: Buffer; secrets: readonly string[] }): Record<string, string> {
  const prefix = Buffer.from(`${input.id}.${input.timestamp}.`);
  const signatures = input.secrets.map(
    (secret) => `v1,${createHmac('sha256', secretKeyBytes(secret)).update(prefix).update(input.body).digest('base64')}`,
  );
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signatures.join(' '),
  };
}
