/**
 * The contract every provider preset implements. A preset knows how one provider signs its
 * webhooks, where its idempotency key and event type live, and which handshakes it expects.
 * Presets are pure: no database, no clock except `request.receivedAt`, no logging. The ingest
 * path (lib/ingest) decrypts secrets, calls `verify`, and records the outcome.
 */
import type { z } from 'zod';

export const PROVIDER_IDS = [
  'stripe',
  'github',
  'shopify',
  'slack',
  'standard-webhooks',
  'svix',
  'twilio',
  'paddle',
  'square',
  'linear',
  'zoom',
  'gitlab',
  'discord',
  'twitch',
  'hubspot',
  'sendgrid',
  'hmac',
  'token',
  'basic',
  'none',
] as const;

export type ProviderId = (typeof PROVIDER_IDS)[number];

/** One webhook request exactly as it arrived. */
export interface IncomingWebhook {
  method: string;
  /**
   * The URL the provider called, as the provider saw it: `HOOKYARD_PUBLIC_URL` + path + query
   * when that is set, else the URL the server was reached on. Schemes that sign the URL
   * (Twilio, Square, HubSpot) use this.
   */
  url: string;
  /** Header names lower-cased; repeated headers joined with ", " as Node does. */
  headers: Readonly<Record<string, string>>;
  /** The exact bytes of the body. Verification runs on these, never on a re-serialisation. */
  rawBody: Buffer;
  /** When Hookyard received the request; timestamp windows are checked against this. */
  receivedAt: Date;
}

/** A decrypted secret of the source. `value` never leaves the verify call. */
export interface VerificationSecret {
  id: string;
  value: string;
}

export type VerifyFailureReason =
  /** A header the scheme needs is absent. */
  | 'missing_header'
  /** A header is present but cannot be parsed (e.g. no `v1=` in Stripe-Signature). */
  | 'malformed_header'
  /** Well-formed, but no signature matched any active secret. */
  | 'bad_signature'
  /** The signed timestamp is outside the allowed window (too old, or too far in the future). */
  | 'stale_timestamp'
  /** The source has no active secret to check against. */
  | 'unknown_secret';

export type VerifyResult =
  | { ok: true; /** which secret matched; null for schemes without secrets (`none`) */ secretId: string | null }
  | { ok: false; reason: VerifyFailureReason; /** short, safe to store: never contains a secret */ detail?: string };

/** A response Hookyard sends instead of the usual 202, after verification succeeded. */
export interface HandshakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Helpers the ingest path hands to a preset so that the body is parsed once at most. */
export interface ParsedBody {
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** The body parsed as application/x-www-form-urlencoded, or undefined when it is not. */
  form: URLSearchParams | undefined;
}

/** A signed sample request, used by the dashboard's "Send test event" button and by tests. */
export interface SampleRequest {
  headers: Record<string, string>;
  body: string;
}

export interface ProviderPreset<Settings = Record<string, unknown>> {
  id: ProviderId;
  /** Human name for the dashboard, e.g. "Stripe". */
  label: string;
  /** What the secret is, for the dashboard form, e.g. "Signing secret (whsec_…)". */
  secretLabel: string;
  /** Whether the scheme needs a secret at all (false only for `none`). */
  needsSecret: boolean;
  /**
   * Zod schema of the preset's own settings, stored in Source.verificationSettings.
   * Defaults are applied by parsing `{}`.
   */
  settingsSchema: z.ZodType<Settings>;
  /**
   * Headers that carry the source's secret itself (a token, Basic credentials), lower-case. They
   * are stored without their value and never forwarded. A signature is not a secret: schemes that
   * sign declare none.
   */
  secretHeaders?(settings: Settings): readonly string[];
  /** Verify the request against any one of the active secrets (constant-time comparisons). */
  verify(request: IncomingWebhook, secrets: readonly VerificationSecret[], settings: Settings): VerifyResult;
  /**
   * The provider's own idempotency key for this request, or null when it has none.
   * `settings` (the parsed Source.verificationSettings) matters only to the configurable schemes
   * (`hmac`, `token`, `basic`, `none`), whose dedup header/field is configured; provider presets
   * ignore it, and the configurable ones fall back to common headers when it is omitted.
   */
  dedupKey(request: IncomingWebhook, body: ParsedBody, settings?: Settings): string | null;
  /** The event type, e.g. "payment_intent.succeeded", or null when unknown. `settings` as for dedupKey. */
  eventType(request: IncomingWebhook, body: ParsedBody, settings?: Settings): string | null;
  /**
   * Called only after verification succeeded. Returns the response the provider expects for a
   * handshake (Slack url_verification, Zoom endpoint.url_validation, Twitch
   * webhook_callback_verification), or null for an ordinary event.
   */
  handshake?(request: IncomingWebhook, body: ParsedBody, matchedSecret: VerificationSecret | null): HandshakeResponse | null;
  /**
   * A correctly signed sample request for `secret`, as the provider would send it to `url`.
   * Null for schemes Hookyard cannot sign (asymmetric ones, where the source holds only the
   * provider's public key).
   */
  sampleRequest(secret: string, url: string, now: Date, settings: Settings): SampleRequest | null;
}
