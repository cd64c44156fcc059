/**
 * New secret values, in the format each scheme expects. Used when an admin adds or rotates a
 * secret without pasting one, and for every destination's signing secret.
 */
import { randomBytes } from 'node:crypto';

/** Standard Webhooks / Svix: `whsec_` + base64 of 24 random bytes (the size Svix issues). */
export function generateStandardWebhooksSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The signing secret of a destination: Standard Webhooks format, so any SW library verifies it. */
export const generateSigningSecret = generateStandardWebhooksSecret;

/**
 * A verification secret for a source of `provider`. Schemes whose secret is `whsec_…` get that
 * format; HTTP Basic gets `hookyard:<password>` because its secret is the whole `user:password`;
 * everything else gets 32 random bytes as hex, which every HMAC and token scheme accepts.
 */
export function generateSourceSecret(provider: string): string {
  switch (provider) {
    case 'standard-webhooks':
    case 'svix':
      return generateStandardWebhooksSecret();
    case 'basic':
      return `hookyard:${randomBytes(24).toString('hex')}`;
    default:
      return randomBytes(32).toString('hex');
  }
}
