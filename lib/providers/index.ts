/**
 * The registry of provider presets: one module per scheme, all behind `ProviderPreset`.
 */
import { basic } from './basic';
import { discord } from './discord';
import { github } from './github';
import { gitlab } from './gitlab';
import { hmacPreset } from './hmac';
import { hubspot } from './hubspot';
import { linear } from './linear';
import { none } from './none';
import { paddle } from './paddle';
import { sendgrid } from './sendgrid';
import { shopify } from './shopify';
import { slack } from './slack';
import { square } from './square';
import { standardWebhooks } from './standard-webhooks';
import { stripe } from './stripe';
import { svix } from './svix';
import { token } from './token';
import { twilio } from './twilio';
import { twitch } from './twitch';
import { zoom } from './zoom';
import { PROVIDER_IDS, type ProviderId, type ProviderPreset } from './types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each preset has its own settings type
export const providers: Record<ProviderId, ProviderPreset<any>> = {
  stripe,
  github,
  shopify,
  slack,
  'standard-webhooks': standardWebhooks,
  svix,
  twilio,
  paddle,
  square,
  linear,
  zoom,
  gitlab,
  discord,
  twitch,
  hubspot,
  sendgrid,
  hmac: hmacPreset,
  token,
  basic,
  none,
};

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

/** The preset for `id`; throws for an unknown id (callers validate ids at the API boundary). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getProvider(id: string): ProviderPreset<any> {
  if (!isProviderId(id)) throw new Error(`unknown provider preset: ${id}`);
  return providers[id];
}

export { PROVIDER_IDS } from './types';
export type {
  HandshakeResponse,
  IncomingWebhook,
  ParsedBody,
  ProviderId,
  ProviderPreset,
  SampleRequest,
  VerificationSecret,
  VerifyFailureReason,
  VerifyResult,
} from './types';
export { parseBody, parseRequestBody } from './parse';
