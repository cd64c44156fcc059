/**
 * Every provider preset through the real ingest route over HTTP, on both entry points (the lean
 * node:http path and the Next.js route handler). For each preset: a valid request signed by the
 * provider's own npm library where one can sign (Stripe, GitHub, Shopify, Standard Webhooks, Svix,
 * Twilio, HubSpot), else signed with node:crypto exactly as the provider documents it and checked
 * against the provider's verifying library where one exists (Slack/Bolt, Paddle, Square, Linear,
 * Discord, SendGrid); provider-documented example requests where one exists (Slack, Twilio,
 * Square, SendGrid). Then a tampered body, a wrong secret, missing headers, a malformed header, a
 * stale or future timestamp where the scheme has one, and a rotated-out secret (expired 1 min ago).
 * Plus the handshakes, answered only after verification.
 *
 * URL-signing schemes (Twilio, Square, HubSpot) sign `${HOOKYARD_PUBLIC_URL}/api/ingest/{slug}?…`;
 * HOOKYARD_PUBLIC_URL is set for this whole file (and unset in the one test of the Host fallback).
 */
import { createHmac, generateKeyPairSync, randomBytes, randomUUID, sign as cryptoSign } from 'node:crypto';
import { Signature as HubSpotSignature } from '@hubspot/api-client';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { Paddle } from '@paddle/paddle-node-sdk';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { getHmac as shopifyGetHmac } from '@shopify/shopify-api/test-helpers';
import { isValidSlackRequest } from '@slack/bolt/dist/receivers/verify-request';
import { verifyKey as discordVerifyKey } from 'discord-interactions';
import { WebhooksHelper as SquareWebhooksHelper } from 'square';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import { getExpectedBodyHash, getExpectedTwilioSignature, validateRequest as twilioValidateRequest } from 'twilio/lib/webhooks/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfigForTests } from '@/lib/config/env';
import { db } from '@/lib/db/prisma';
import { flushRejections } from '@/lib/ingest/record-rejection';
import type { ProviderId } from '@/lib/providers/types';
import { INGEST_ENTRIES, type RunningIngestServer, startIngestServer } from '../support/ingest-server';
import { createTestSource } from '../support/fixtures';

// ---- shared shapes and helpers ------------------------------------------------------------------

const PUBLIC_URL = 'https://hooks.example.com';
const GENERIC_401 = { error: { code: 'unauthorized', message: 'Webhook verification failed' } };

type Who = 'current' | 'old' | 'other';
/** One HTTP request as a provider would send it; `query` (with its "?") is appended to the ingest URL. */
interface Outgoing {
  body: string;
  headers: Record<string, string>;
  query?: string;
}
/** A signed request and what the preset should derive from it. */
interface Signed {
  request: Outgoing;
  dedupKey: string | null;
  eventType: string | null;
}
interface SignContext {
  /** The provider-facing URL: HOOKYARD_PUBLIC_URL + path + query. */
  url: string;
  /** The signing time. */
  at: Date;
}

interface PresetCase {
  label: string;
  provider: ProviderId;
  /** Who produced the valid signature, for the test name. */
  signedBy: string;
  settings?: Record<string, unknown>;
  /** The stored secret values (for asymmetric schemes, the public keys). */
  stored: { current: string; old: string };
  sign(who: Who, ctx: SignContext): Signed | Promise<Signed>;
  /** The provider's own verifier, as a cross-check that our signing matches the provider's scheme. */
  libraryAccepts?(request: Outgoing, ctx: SignContext): boolean | Promise<boolean>;
  query?: string;
  tamper?(request: Outgoing): Outgoing;
  tamperLabel?: string;
  /** Headers whose absence must give missing_header, one request each. */
  missing: string[];
  malformed?(request: Outgoing): Outgoing;
  /** The timestamp window: one-sided (age only) or two-sided, and an offset clearly beyond it. */
  window?: { sides: 1 | 2; beyondSeconds: number };
  /** The header that carries the secret itself, which must never be stored. */
  secretHeader?: string;
}

const hex = (bytes = 8) => randomBytes(bytes).toString('hex');
const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
const json = 'application/json';
let sequence = 0;
const nextInt = () => Date.now() * 1000 + (++sequence % 1000);

/** Changes one digit in the body, keeping its length; every signed body below contains "1000". */
function tamperBody(request: Outgoing): Outgoing {
  const body = request.body.replace('1000', '1001');
  if (body === request.body) throw new Error('nothing to tamper with');
  return { ...request, body };
}
function withHeader(request: Outgoing, name: string, value: string): Outgoing {
  return { ...request, headers: { ...request.headers, [name]: value } };
}
function withoutHeader(request: Outgoing, name: string): Outgoing {
  const headers = { ...request.headers };
  if (!(name in headers)) throw new Error(`no header ${name} to drop`);
  delete headers[name];
  return { ...request, headers };
}
/** The same token with its last character changed. */
const alterLast = (value: string) => value.slice(0, -1) + (value.endsWith('x') ? 'y' : 'x');

// ---- provider libraries and keys ----------------------------------------------------------------

const stripeLib = new Stripe('sk_test_unused');
const paddleLib = new Paddle('pdl_sdbx_apikey_hookyard_integration_test');
const sendgridLib = new EventWebhook();

const whsec = () => `whsec_${randomBytes(24).toString('base64')}`;
function ecKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), privateKey };
}
function edKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex'), privateKey };
}

const K = {
  stripe: { current: 'whsec_current_ingest_presets_0001', old: 'whsec_rotated_out_ingest_presets_01', other: 'whsec_someone_else_ingest_presets_1' },
  github: { current: 'gh-current-secret-0001', old: 'gh-rotated-out-secret-01', other: 'gh-other-secret-000001' },
  shopify: { current: 'shpss_current_8b5b1b6c1f0e4d2a9c3e', old: 'shpss_rotated_out_00000000000000', other: 'shpss_other_11111111111111111111' },
  slack: { current: '8f742231b10e8888abcd99yyyzzz85a5', old: '00000000000000000000000000000001', other: '22222222222222222222222222222222' },
  standard: { current: whsec(), old: whsec(), other: whsec() },
  svix: { current: whsec(), old: whsec(), other: whsec() },
  twilio: { current: 'twilio-auth-token-current-0001', old: 'twilio-auth-token-rotated-out-1', other: 'twilio-auth-token-other-000001' },
  paddle: {
    current: 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI',
    old: 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_rotatedout000000000000000000000',
    other: 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_other00000000000000000000000000',
  },
  square: { current: 'Ibxx_5AKakO-3qeNVR61Dw', old: 'rotated-out-square-key', other: 'asdf1234' },
  linear: { current: 'lin_wh_current_3c1f0a4c9b8e7d6f5a4b', old: 'lin_wh_rotated_out_00000000000000', other: 'lin_wh_other_111111111111111111111' },
  zoom: { current: 'Wj9ujDBXRjuYVmYpwbHQ0w', old: 'RotatedOutZoomToken000', other: 'AAAAAAAAAAAAAAAAAAAAAA' },
  twitch: { current: 's3cre7-h00kyard-tw1tch', old: 'rotated-out-tw1tch-000', other: 'another-secret-0000000' },
  hubspot: { current: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy', old: 'rrrrrrrr-rrrr-rrrr-rrrr-rrrrrrrrrrrr', other: 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz' },
  gitlab: { current: 'glpat-current-webhook-token-0001', old: 'glpat-rotated-out-webhook-token1', other: 'glpat-other-webhook-token-000001' },
  hmac: { current: 'hmac-current-shared-secret-0001', old: 'hmac-rotated-out-shared-secret1', other: 'hmac-other-shared-secret-000001' },
  hmacTs: { current: 'hmac-ts-current-secret-000001', old: 'hmac-ts-rotated-out-secret-01', other: 'hmac-ts-other-secret-00000001' },
  token: { current: 'tok_current_0123456789abcdef', old: 'tok_rotated_out_0123456789ab', other: 'tok_other_0123456789abcdef01' },
  bearer: { current: 'bearer-current-0123456789', old: 'bearer-rotated-out-012345', other: 'bearer-other-012345678901' },
  basic: { current: 'hookyard:current-pass-0001', old: 'hookyard:rotated-out-pass-1', other: 'hookyard:other-pass-000001' },
};
const SENDGRID_KEYS = { current: ecKey(), old: ecKey(), other: ecKey() };
const DISCORD_KEYS = { current: edKey(), old: edKey(), other: edKey() };

// ---- per-provider signing -----------------------------------------------------------------------

function slackSigned(body: string, secret: string, at: Date, contentType = json): Outgoing {
  const ts = seconds(at);
  const signature = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { body, headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${signature}` } };
}

function zoomSigned(body: string, secret: string, at: Date): Outgoing {
  const ts = String(seconds(at));
  const signature = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { body, headers: { 'content-type': 'application/json; charset=utf-8', 'x-zm-request-timestamp': ts, 'x-zm-signature': `v0=${signature}` } };
}

/** RFC 3339 with nanoseconds, as Twitch sends it. */
const twitchTime = (at: Date) => at.toISOString().replace(/\.(\d{3})Z$/, '.$1456789Z');
function twitchSigned(body: string, secret: string, at: Date, messageType = 'notification'): Outgoing {
  const id = randomUUID();
  const timestamp = twitchTime(at);
  const signature = createHmac('sha256', secret)
    .update(id + timestamp + body)
    .digest('hex');
  return {
    body,
    headers: {
      'content-type': json,
      'twitch-eventsub-message-id': id,
      'twitch-eventsub-message-timestamp': timestamp,
      'twitch-eventsub-message-signature': `sha256=${signature}`,
      'twitch-eventsub-message-type': messageType,
      'twitch-eventsub-subscription-type': 'channel.follow',
      'twitch-eventsub-subscription-version': '2',
    },
  };
}

function discordSigned(body: string, who: Who, at: Date): Outgoing {
  const timestamp = String(seconds(at));
  const signature = cryptoSign(null, Buffer.from(timestamp + body), DISCORD_KEYS[who].privateKey).toString('hex');
  return { body, headers: { 'content-type': json, 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp } };
}

const CASES: PresetCase[] = [
  {
    label: 'stripe',
    provider: 'stripe',
    signedBy: 'stripe (webhooks.generateTestHeaderString)',
    stored: K.stripe,
    sign(who, { at }) {
      const id = `evt_${hex()}`;
      const body = JSON.stringify({ id, object: 'event', type: 'payment_intent.succeeded', data: { object: { id: `pi_${hex()}`, amount: 1000 } } });
      const signature = stripeLib.webhooks.generateTestHeaderString({ payload: body, secret: K.stripe[who], timestamp: seconds(at) });
      return { request: { body, headers: { 'content-type': json, 'stripe-signature': signature } }, dedupKey: id, eventType: 'payment_intent.succeeded' };
    },
    libraryAccepts(request) {
      try {
        stripeLib.webhooks.constructEvent(request.body, request.headers['stripe-signature']!, K.stripe.current);
        return true;
      } catch {
        return false;
      }
    },
    missing: ['stripe-signature'],
    malformed: (r) => withHeader(r, 'stripe-signature', 't=yesterday,v1=abcd'),
    window: { sides: 1, beyondSeconds: 3600 },
  },
  {
    label: 'github',
    provider: 'github',
    signedBy: '@octokit/webhooks-methods sign()',
    stored: K.github,
    async sign(who) {
      const delivery = randomUUID();
      const body = JSON.stringify({
        action: 'opened',
        number: 42,
        pull_request: { id: hex(), additions: 1000, title: 'Add retries' },
        repository: { full_name: 'octo/repo' },
      });
      const signature = await octokitSign(K.github[who], body);
      return {
        request: { body, headers: { 'content-type': json, 'x-github-event': 'pull_request', 'x-github-delivery': delivery, 'x-hub-signature-256': signature } },
        dedupKey: delivery,
        eventType: 'pull_request.opened',
      };
    },
    libraryAccepts: (request) => octokitVerify(K.github.current, request.body, request.headers['x-hub-signature-256']!),
    missing: ['x-hub-signature-256'],
    malformed: (r) => withHeader(r, 'x-hub-signature-256', 'sha1=abcdef'),
  },
  {
    label: 'shopify',
    provider: 'shopify',
    signedBy: '@shopify/shopify-api (test-helpers getHmac)',
    stored: K.shopify,
    sign(who) {
      const webhookId = randomUUID();
      const body = JSON.stringify({ id: nextInt(), email: 'jon@example.com', total_price: '1000.00', financial_status: 'paid' });
      return {
        request: {
          body,
          headers: {
            'content-type': json,
            'x-shopify-topic': 'orders/create',
            'x-shopify-shop-domain': 'example.myshopify.com',
            'x-shopify-webhook-id': webhookId,
            'x-shopify-event-id': randomUUID(),
            'x-shopify-hmac-sha256': shopifyGetHmac(body, K.shopify[who]),
          },
        },
        dedupKey: webhookId,
        eventType: 'orders/create',
      };
    },
    missing: ['x-shopify-hmac-sha256'],
    malformed: (r) => withHeader(r, 'x-shopify-hmac-sha256', 'not base64!'),
  },
  {
    label: 'slack',
    provider: 'slack',
    signedBy: "node:crypto per Slack's docs (Bolt only verifies; Bolt accepts it)",
    stored: K.slack,
    sign(who, { at }) {
      const eventId = `Ev${hex(5).toUpperCase()}`;
      const body = JSON.stringify({
        token: 'x',
        team_id: 'T1',
        api_app_id: 'A1',
        type: 'event_callback',
        event: { type: 'app_mention', user: 'U1', text: 'ship order 1000', channel: 'C1' },
        event_id: eventId,
        event_time: seconds(at),
      });
      return { request: slackSigned(body, K.slack[who], at), dedupKey: eventId, eventType: 'app_mention' };
    },
    libraryAccepts: (request) =>
      isValidSlackRequest({
        signingSecret: K.slack.current,
        body: request.body,
        headers: {
          'x-slack-signature': request.headers['x-slack-signature']!,
          'x-slack-request-timestamp': Number(request.headers['x-slack-request-timestamp']),
        },
      }),
    missing: ['x-slack-signature', 'x-slack-request-timestamp'],
    malformed: (r) => withHeader(r, 'x-slack-signature', r.headers['x-slack-signature']!.replace('v0=', 'v1=')),
    window: { sides: 2, beyondSeconds: 600 },
  },
  {
    label: 'standard-webhooks',
    provider: 'standard-webhooks',
    signedBy: 'standardwebhooks (Webhook.sign)',
    stored: K.standard,
    sign(who, { at }) {
      const id = `msg_${hex()}`;
      const body = JSON.stringify({ type: 'invoice.paid', timestamp: at.toISOString(), data: { id: `inv_${hex()}`, amount: 1000 } });
      const signature = new StandardWebhook(K.standard[who]).sign(id, at, body);
      return {
        request: { body, headers: { 'content-type': json, 'webhook-id': id, 'webhook-timestamp': String(seconds(at)), 'webhook-signature': signature } },
        dedupKey: id,
        eventType: 'invoice.paid',
      };
    },
    libraryAccepts(request) {
      try {
        new StandardWebhook(K.standard.current).verify(request.body, request.headers);
        return true;
      } catch {
        return false;
      }
    },
    missing: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
    malformed: (r) => withHeader(r, 'webhook-signature', 'v2,abcd'),
    window: { sides: 2, beyondSeconds: 600 },
  },
  {
    label: 'svix',
    provider: 'svix',
    signedBy: 'svix (Webhook.sign)',
    stored: K.svix,
    sign(who, { at }) {
      const id = `msg_${hex()}`;
      const body = JSON.stringify({ type: 'user.created', data: { id: `user_${hex()}`, logins: 1000 } });
      const signature = new SvixWebhook(K.svix[who]).sign(id, at, body);
      return {
        request: { body, headers: { 'content-type': json, 'svix-id': id, 'svix-timestamp': String(seconds(at)), 'svix-signature': signature } },
        dedupKey: id,
        eventType: 'user.created',
      };
    },
    libraryAccepts(request) {
      try {
        new SvixWebhook(K.svix.current).verify(request.body, request.headers);
        return true;
      } catch {
        return false;
      }
    },
    missing: ['svix-id', 'svix-timestamp', 'svix-signature'],
    malformed: (r) => withHeader(r, 'svix-timestamp', 'soon'),
    window: { sides: 2, beyondSeconds: 600 },
  },
  {
    label: 'twilio (form body, URL-signed)',
    provider: 'twilio',
    signedBy: 'twilio (getExpectedTwilioSignature)',
    stored: K.twilio,
    query: '?tenant=acme&x=1',
    sign(who, { url }) {
      const params = {
        AccountSid: `AC${hex(16)}`,
        MessageSid: `SM${hex(16)}`,
        SmsStatus: 'received',
        From: '+14155552671',
        To: '+15005550006',
        Body: 'Order 1000 shipped',
        NumMedia: '0',
      };
      const token = randomUUID();
      return {
        request: {
          body: new URLSearchParams(params).toString(),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': getExpectedTwilioSignature(K.twilio[who], url, params),
            'i-twilio-idempotency-token': token,
          },
        },
        dedupKey: token,
        eventType: 'message.received',
      };
    },
    libraryAccepts: (request, { url }) =>
      twilioValidateRequest(K.twilio.current, request.headers['x-twilio-signature']!, url, Object.fromEntries(new URLSearchParams(request.body))),
    missing: ['x-twilio-signature'],
    malformed: (r) => withHeader(r, 'x-twilio-signature', 'not base64!'),
  },
  {
    label: 'paddle',
    provider: 'paddle',
    signedBy: "node:crypto per Paddle's docs (the SDK only verifies; it accepts it)",
    stored: K.paddle,
    sign(who, { at }) {
      const eventId = `evt_${hex(13)}`;
      const ts = seconds(at);
      const body = JSON.stringify({
        event_id: eventId,
        event_type: 'transaction.completed',
        occurred_at: at.toISOString(),
        notification_id: `ntf_${hex(13)}`,
        data: { id: `txn_${hex(13)}`, status: 'completed', details: { totals: { total: '1000' } } },
      });
      const h1 = createHmac('sha256', K.paddle[who]).update(`${ts}:${body}`).digest('hex');
      return {
        request: { body, headers: { 'content-type': json, 'paddle-signature': `ts=${ts};h1=${h1}` } },
        dedupKey: eventId,
        eventType: 'transaction.completed',
      };
    },
    libraryAccepts: (request) => paddleLib.webhooks.isSignatureValid(request.body, K.paddle.current, request.headers['paddle-signature']!),
    missing: ['paddle-signature'],
    malformed: (r) => withHeader(r, 'paddle-signature', 'h1=abcd'),
    window: { sides: 1, beyondSeconds: 3600 },
  },
  {
    label: 'square (URL-signed)',
    provider: 'square',
    signedBy: "node:crypto per Square's docs (WebhooksHelper only verifies; it accepts it)",
    stored: K.square,
    sign(who, { url }) {
      const eventId = randomUUID();
      const body = JSON.stringify({
        merchant_id: '6SSW7HV8K2ST5',
        type: 'payment.updated',
        event_id: eventId,
        data: { type: 'payment', id: hex(), object: { payment: { amount_money: { amount: 1000, currency: 'USD' }, status: 'COMPLETED' } } },
      });
      const signature = createHmac('sha256', K.square[who])
        .update(url + body)
        .digest('base64');
      return {
        request: { body, headers: { 'content-type': json, 'x-square-hmacsha256-signature': signature } },
        dedupKey: eventId,
        eventType: 'payment.updated',
      };
    },
    libraryAccepts: (request, { url }) =>
      SquareWebhooksHelper.verifySignature({
        requestBody: request.body,
        signatureHeader: request.headers['x-square-hmacsha256-signature']!,
        signatureKey: K.square.current,
        notificationUrl: url,
      }),
    missing: ['x-square-hmacsha256-signature'],
    malformed: (r) => withHeader(r, 'x-square-hmacsha256-signature', 'not base64!'),
  },
  {
    label: 'linear',
    provider: 'linear',
    signedBy: "node:crypto per Linear's docs (the SDK only verifies; it accepts it)",
    stored: K.linear,
    sign(who, { at }) {
      const delivery = randomUUID();
      const body = JSON.stringify({
        action: 'create',
        type: 'Issue',
        createdAt: at.toISOString(),
        data: { id: randomUUID(), identifier: 'HOOK-1', title: 'Forward 1000 webhooks' },
        organizationId: randomUUID(),
        webhookTimestamp: at.getTime(),
        webhookId: randomUUID(),
      });
      const signature = createHmac('sha256', K.linear[who]).update(body).digest('hex');
      return {
        request: {
          body,
          headers: { 'content-type': 'application/json; charset=utf-8', 'linear-delivery': delivery, 'linear-event': 'Issue', 'linear-signature': signature },
        },
        dedupKey: delivery,
        eventType: 'Issue.create',
      };
    },
    libraryAccepts(request) {
      try {
        return new LinearWebhookClient(K.linear.current).verify(Buffer.from(request.body), request.headers['linear-signature']!);
      } catch {
        return false;
      }
    },
    missing: ['linear-signature'],
    malformed: (r) => withHeader(r, 'linear-signature', 'not-hex'),
    window: { sides: 2, beyondSeconds: 600 },
  },
  {
    label: 'zoom',
    provider: 'zoom',
    signedBy: "node:crypto per Zoom's docs (no Zoom library)",
    stored: K.zoom,
    sign(who, { at }) {
      const eventTs = at.getTime();
      const uuid = `${randomBytes(12).toString('base64')}==`;
      const body = JSON.stringify({
        event: 'meeting.started',
        event_ts: eventTs,
        payload: { account_id: 'AAAAAABBBB', object: { id: '1000', uuid, topic: 'Standup', duration: 30 } },
      });
      return { request: zoomSigned(body, K.zoom[who], at), dedupKey: `meeting.started:${eventTs}:${uuid}`, eventType: 'meeting.started' };
    },
    missing: ['x-zm-signature', 'x-zm-request-timestamp'],
    malformed: (r) => withHeader(r, 'x-zm-signature', r.headers['x-zm-signature']!.slice(3)),
    window: { sides: 1, beyondSeconds: 3600 },
  },
  {
    label: 'gitlab (secret token)',
    provider: 'gitlab',
    signedBy: "GitLab's documented X-Gitlab-Token (no signature; no GitLab library)",
    stored: K.gitlab,
    sign(who) {
      const idempotencyKey = randomUUID();
      const body = JSON.stringify({
        object_kind: 'merge_request',
        event_type: 'merge_request',
        object_attributes: { id: 1000, iid: nextInt(), title: 'Add retries' },
      });
      return {
        request: {
          body,
          headers: {
            'content-type': json,
            'x-gitlab-event': 'Merge Request Hook',
            'x-gitlab-token': K.gitlab[who],
            'x-gitlab-event-uuid': randomUUID(),
            'idempotency-key': idempotencyKey,
          },
        },
        dedupKey: idempotencyKey,
        eventType: 'Merge Request Hook',
      };
    },
    tamper: (r) => withHeader(r, 'x-gitlab-token', alterLast(r.headers['x-gitlab-token']!)),
    tamperLabel: 'tampered token (the body is not signed in this scheme)',
    missing: ['x-gitlab-token'],
    secretHeader: 'x-gitlab-token',
  },
  {
    label: 'discord',
    provider: 'discord',
    signedBy: 'node:crypto Ed25519 (discord-interactions only verifies; verifyKey accepts it)',
    settings: { toleranceSeconds: 300 },
    stored: { current: DISCORD_KEYS.current.publicKey, old: DISCORD_KEYS.old.publicKey },
    sign(who, { at }) {
      const id = String(nextInt());
      const body = JSON.stringify({
        type: 2,
        id,
        application_id: '1170000000000000000',
        token: 'aW50ZXJhY3Rpb24',
        version: 1,
        data: { id: '1000', name: 'deploy', type: 1 },
      });
      return { request: discordSigned(body, who, at), dedupKey: id, eventType: 'APPLICATION_COMMAND:deploy' };
    },
    libraryAccepts: (request) =>
      discordVerifyKey(request.body, request.headers['x-signature-ed25519']!, request.headers['x-signature-timestamp']!, DISCORD_KEYS.current.publicKey),
    missing: ['x-signature-ed25519', 'x-signature-timestamp'],
    malformed: (r) => withHeader(r, 'x-signature-ed25519', 'abcd'),
    window: { sides: 2, beyondSeconds: 3600 },
  },
  {
    label: 'twitch',
    provider: 'twitch',
    signedBy: "node:crypto per Twitch's EventSub docs (no Twitch library)",
    stored: K.twitch,
    sign(who, { at }) {
      const body = JSON.stringify({
        subscription: { id: randomUUID(), type: 'channel.follow', version: '2', status: 'enabled', cost: 0 },
        event: { user_id: '1000', user_login: 'cool_user', broadcaster_user_id: '1337', followed_at: at.toISOString() },
      });
      const request = twitchSigned(body, K.twitch[who], at);
      return { request, dedupKey: request.headers['twitch-eventsub-message-id']!, eventType: 'channel.follow' };
    },
    missing: ['twitch-eventsub-message-signature', 'twitch-eventsub-message-id', 'twitch-eventsub-message-timestamp'],
    malformed: (r) => withHeader(r, 'twitch-eventsub-message-timestamp', '1700000000'),
    window: { sides: 1, beyondSeconds: 3600 },
  },
  {
    label: 'hubspot (URL-signed, v3)',
    provider: 'hubspot',
    signedBy: '@hubspot/api-client (Signature.getSignature v3)',
    stored: K.hubspot,
    query: '?portalId=62515',
    sign(who, { url, at }) {
      const ids = [nextInt(), nextInt()];
      const body = JSON.stringify([
        {
          eventId: ids[0],
          subscriptionId: 1000,
          portalId: 62515,
          occurredAt: at.getTime(),
          subscriptionType: 'contact.creation',
          objectId: 123,
          changeFlag: 'NEW',
        },
        {
          eventId: ids[1],
          subscriptionId: 1001,
          portalId: 62515,
          occurredAt: at.getTime(),
          subscriptionType: 'contact.propertyChange',
          objectId: 123,
          propertyName: 'email',
        },
      ]);
      const timestamp = at.getTime();
      const signature = HubSpotSignature.getSignature('POST', 'v3', { clientSecret: K.hubspot[who], requestBody: body, url, timestamp, signature: '' });
      return {
        request: { body, headers: { 'content-type': json, 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) } },
        dedupKey: ids.map(String).sort().join(','),
        eventType: 'contact.creation,contact.propertyChange',
      };
    },
    libraryAccepts(request, { url }) {
      try {
        return HubSpotSignature.isValid({
          signatureVersion: 'v3',
          method: 'POST',
          signature: request.headers['x-hubspot-signature-v3']!,
          clientSecret: K.hubspot.current,
          requestBody: request.body,
          url,
          timestamp: Number(request.headers['x-hubspot-request-timestamp']),
        });
      } catch {
        return false;
      }
    },
    missing: ['x-hubspot-signature-v3', 'x-hubspot-request-timestamp'],
    malformed: (r) => withHeader(r, 'x-hubspot-request-timestamp', 'yesterday'),
    window: { sides: 1, beyondSeconds: 3600 },
  },
  {
    label: 'sendgrid',
    provider: 'sendgrid',
    signedBy: 'node:crypto ECDSA P-256 (@sendgrid/eventwebhook only verifies; it accepts it)',
    settings: { toleranceSeconds: 300 },
    stored: { current: SENDGRID_KEYS.current.publicKey, old: SENDGRID_KEYS.old.publicKey },
    sign(who, { at }) {
      const ids = [randomBytes(18).toString('base64url'), randomBytes(18).toString('base64url')];
      const ts = String(seconds(at));
      const body =
        JSON.stringify([
          { email: 'a@example.com', event: 'delivered', sg_event_id: ids[0], timestamp: seconds(at), category: ['order-1000'] },
          { email: 'a@example.com', event: 'open', sg_event_id: ids[1], timestamp: seconds(at) },
        ]) + '\r\n';
      const signature = cryptoSign('sha256', Buffer.from(ts + body), SENDGRID_KEYS[who].privateKey).toString('base64');
      return {
        request: { body, headers: { 'content-type': json, 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': ts } },
        dedupKey: [...ids].sort().join(','),
        eventType: 'delivered,open',
      };
    },
    libraryAccepts: (request) =>
      sendgridLib.verifySignature(
        sendgridLib.convertPublicKeyToECDSA(SENDGRID_KEYS.current.publicKey),
        request.body,
        request.headers['x-twilio-email-event-webhook-signature']!,
        request.headers['x-twilio-email-event-webhook-timestamp']!,
      ),
    missing: ['x-twilio-email-event-webhook-signature', 'x-twilio-email-event-webhook-timestamp'],
    malformed: (r) => withHeader(r, 'x-twilio-email-event-webhook-signature', 'not base64!'),
    window: { sides: 2, beyondSeconds: 3600 },
  },
  {
    label: 'hmac (GitHub-style: sha256=<hex> of the body)',
    provider: 'hmac',
    signedBy: '@octokit/webhooks-methods sign()',
    settings: { header: 'X-Signature-256', prefix: 'sha256=' },
    stored: K.hmac,
    async sign(who) {
      const key = randomUUID();
      const body = JSON.stringify({ id: randomUUID(), type: 'order.paid', data: { amount: 1000 } });
      return {
        request: { body, headers: { 'content-type': json, 'x-signature-256': await octokitSign(K.hmac[who], body), 'idempotency-key': key } },
        dedupKey: key,
        eventType: 'order.paid',
      };
    },
    missing: ['x-signature-256'],
    malformed: (r) => withHeader(r, 'x-signature-256', 'sha256=zz'),
  },
  {
    label: 'hmac (timestamped: v1,<base64> of {id}.{timestamp}.{body})',
    provider: 'hmac',
    signedBy: 'standardwebhooks (Webhook.sign with a raw key)',
    settings: {
      header: 'webhook-signature',
      prefix: 'v1,',
      encoding: 'base64',
      template: '{id}.{timestamp}.{body}',
      idHeader: 'webhook-id',
      timestampHeader: 'webhook-timestamp',
    },
    stored: K.hmacTs,
    sign(who, { at }) {
      const id = `msg_${hex()}`;
      const body = JSON.stringify({ type: 'order.paid', data: { id: hex(), amount: 1000 } });
      const signature = new StandardWebhook(K.hmacTs[who], { format: 'raw' }).sign(id, at, body);
      return {
        request: { body, headers: { 'content-type': json, 'webhook-id': id, 'webhook-timestamp': String(seconds(at)), 'webhook-signature': signature } },
        dedupKey: id,
        eventType: 'order.paid',
      };
    },
    missing: ['webhook-signature', 'webhook-id', 'webhook-timestamp'],
    malformed: (r) => withHeader(r, 'webhook-timestamp', 'soon'),
    window: { sides: 2, beyondSeconds: 600 },
  },
  {
    label: 'token (default x-webhook-token)',
    provider: 'token',
    signedBy: 'the shared token in X-Webhook-Token',
    stored: K.token,
    sign(who) {
      const key = randomUUID();
      const body = JSON.stringify({ id: randomUUID(), type: 'build.finished', data: { durationMs: 1000 } });
      return {
        request: { body, headers: { 'content-type': json, 'x-webhook-token': K.token[who], 'idempotency-key': key } },
        dedupKey: key,
        eventType: 'build.finished',
      };
    },
    tamper: (r) => withHeader(r, 'x-webhook-token', alterLast(r.headers['x-webhook-token']!)),
    tamperLabel: 'tampered token (the body is not signed in this scheme)',
    missing: ['x-webhook-token'],
    secretHeader: 'x-webhook-token',
  },
  {
    label: 'token (Authorization: Bearer)',
    provider: 'token',
    signedBy: 'the shared token in Authorization: Bearer',
    settings: { header: 'Authorization', prefix: 'Bearer ' },
    stored: K.bearer,
    sign(who) {
      const key = randomUUID();
      const body = JSON.stringify({ id: randomUUID(), type: 'build.started', data: { queueMs: 1000 } });
      return {
        request: { body, headers: { 'content-type': json, authorization: `Bearer ${K.bearer[who]}`, 'idempotency-key': key } },
        dedupKey: key,
        eventType: 'build.started',
      };
    },
    tamper: (r) => withHeader(r, 'authorization', alterLast(r.headers.authorization!)),
    tamperLabel: 'tampered token (the body is not signed in this scheme)',
    missing: ['authorization'],
    malformed: (r) => withHeader(r, 'authorization', r.headers.authorization!.replace('Bearer ', 'Token ')),
    secretHeader: 'authorization',
  },
  {
    label: 'basic',
    provider: 'basic',
    signedBy: 'HTTP Basic credentials',
    stored: K.basic,
    sign(who) {
      const key = randomUUID();
      const body = JSON.stringify({ id: randomUUID(), type: 'invoice.created', data: { total: 1000 } });
      const authorization = `Basic ${Buffer.from(K.basic[who]).toString('base64')}`;
      return { request: { body, headers: { 'content-type': json, authorization, 'idempotency-key': key } }, dedupKey: key, eventType: 'invoice.created' };
    },
    tamper: (r) => withHeader(r, 'authorization', `Basic ${Buffer.from(alterLast(K.basic.current)).toString('base64')}`),
    tamperLabel: 'tampered password (the body is not signed in this scheme)',
    missing: ['authorization'],
    malformed: (r) => withHeader(r, 'authorization', 'Bearer abc'),
    secretHeader: 'authorization',
  },
];

// ---- the tests ------------------------------------------------------------------------------------

const previousPublicUrl = process.env.HOOKYARD_PUBLIC_URL;

function setPublicUrl(value: string | undefined) {
  if (value === undefined) delete process.env.HOOKYARD_PUBLIC_URL;
  else process.env.HOOKYARD_PUBLIC_URL = value;
  resetConfigForTests();
}

beforeAll(() => setPublicUrl(PUBLIC_URL));

afterAll(async () => {
  setPublicUrl(previousPublicUrl);
  await db().$disconnect();
});

interface SourceUnderTest {
  id: string;
  slug: string;
  currentSecretId: string;
}

async function makeSource(provider: ProviderId, stored: { current: string; old: string }, settings?: Record<string, unknown>): Promise<SourceUnderTest> {
  const { source, secrets } = await createTestSource({
    provider,
    settings,
    secrets: [{ value: stored.current }, { value: stored.old, expiresAt: new Date(Date.now() - 60_000) }],
  });
  return { id: source.id, slug: source.slug, currentSecretId: secrets[0]!.id };
}

const providerUrl = (slug: string, query = '') => `${PUBLIC_URL}/api/ingest/${slug}${query}`;

type Rejection = [label: string, request: Outgoing, reason: string];

describe.each(INGEST_ENTRIES)('presets through the %s', (entry) => {
  let server: RunningIngestServer;
  beforeAll(async () => {
    server = await startIngestServer(entry);
  });
  afterAll(async () => {
    await server.close();
  });

  async function send(slug: string, request: Outgoing) {
    const response = await fetch(server.ingestUrl(slug) + (request.query ?? ''), { method: 'POST', headers: request.headers, body: request.body });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  function expectRedacted(headers: unknown, request: Outgoing, secretHeader: string | undefined) {
    if (!secretHeader || request.headers[secretHeader] === undefined) return;
    const stored = headers as Record<string, string>;
    expect(stored[secretHeader]).toBe('[redacted]');
    // Nowhere else either. A short credential (a malformed header's "abc") can turn up by chance
    // inside a random value such as the idempotency key: only the other headers' whole values, or
    // their words, are compared with it then.
    const secret = request.headers[secretHeader]!.replace(/^(Bearer|Basic) /, '');
    const others = Object.entries(stored).filter(([name]) => name !== secretHeader);
    if (secret.length >= 12) expect(JSON.stringify(stored)).not.toContain(secret);
    else for (const [name, value] of others) expect(value.split(/[\s,;=:]+/), name).not.toContain(secret);
  }

  /** Posts a request that must be stored: 202 with exactly {"id"}, and the event as the preset derives it. */
  async function expectAccepted(
    source: { id: string; slug: string },
    signed: Signed,
    opts: { secretId: string | null; verification?: 'verified' | 'unverified'; secretHeader?: string },
  ) {
    const response = await send(source.slug, signed.request);
    expect(response.status, response.text).toBe(202);
    const answer = JSON.parse(response.text) as { id: string };
    expect(answer).toEqual({ id: expect.any(String) });
    const event = await db().event.findUniqueOrThrow({ where: { id: answer.id } });
    expect(event).toMatchObject({
      sourceId: source.id,
      dedupKey: signed.dedupKey,
      eventType: signed.eventType,
      matchedSecretId: opts.secretId,
      verification: opts.verification ?? 'verified',
      query: signed.request.query ? signed.request.query.slice(1) : null,
    });
    expect(Buffer.from(event.body).toString('utf8')).toBe(signed.request.body);
    expectRedacted(event.headers, signed.request, opts.secretHeader);
    return event;
  }

  /** Posts each request: a generic 401 each, the listed reason recorded for each, and nothing stored. */
  async function expectRejected(source: { id: string; slug: string }, rejections: Rejection[], secretHeader?: string) {
    const bodies = rejections.map(([, request]) => request.body);
    expect(new Set(bodies).size, 'each rejected request needs its own body').toBe(bodies.length);
    const eventsBefore = await db().event.count({ where: { sourceId: source.id } });
    for (const [label, request] of rejections) {
      const response = await send(source.slug, request);
      expect(response.status, label).toBe(401);
      expect(JSON.parse(response.text), label).toEqual(GENERIC_401);
    }
    await flushRejections();
    const rows = await db().rejectedRequest.findMany({ where: { sourceId: source.id } });
    const byBody = new Map(rows.map((row) => [Buffer.from(row.bodyPreview).toString('utf8'), row]));
    const recorded = rejections.map(([label, request]) => [label, byBody.get(request.body)?.reason ?? '(not recorded)']);
    expect(recorded).toEqual(rejections.map(([label, , reason]) => [label, reason]));
    for (const [, request] of rejections) {
      const row = byBody.get(request.body)!;
      expect(row.status).toBe(401);
      expectRedacted(row.headers, request, secretHeader);
    }
    expect(await db().event.count({ where: { sourceId: source.id } })).toBe(eventsBefore);
  }

  describe.each(CASES)('$label', (c) => {
    let source: SourceUnderTest;
    beforeAll(async () => {
      source = await makeSource(c.provider, c.stored, c.settings);
    });

    const context = (at = new Date()): SignContext => ({ url: providerUrl(source.slug, c.query), at });
    async function signed(who: Who, at?: Date): Promise<Signed> {
      const result = await c.sign(who, context(at));
      result.request.query ??= c.query;
      return result;
    }

    it(`accepts a request signed by ${c.signedBy}, matched to the current secret, with the preset's dedup key and event type`, async () => {
      const valid = await signed('current');
      if (c.libraryAccepts) expect(await c.libraryAccepts(valid.request, context())).toBe(true);
      await expectAccepted(source, valid, { secretId: source.currentSecretId, secretHeader: c.secretHeader });
    });

    const refused = [c.tamperLabel ?? 'tampered body', 'wrong secret', 'rotated-out secret', 'missing headers'];
    if (c.malformed) refused.push('a malformed header');
    if (c.window) refused.push(c.window.sides === 2 ? 'stale and future timestamps' : 'a stale timestamp');
    it(`refuses ${refused.join(', ')} with the generic 401 and records each reason`, async () => {
      const now = Date.now();
      const rejections: Rejection[] = [
        [c.tamperLabel ?? 'tampered body', (c.tamper ?? tamperBody)((await signed('current')).request), 'bad_signature'],
        ['wrong secret', (await signed('other')).request, 'bad_signature'],
        ['rotated-out secret', (await signed('old')).request, 'expired_secret'],
      ];
      for (const header of c.missing) rejections.push([`missing ${header}`, withoutHeader((await signed('current')).request, header), 'missing_header']);
      if (c.malformed) rejections.push(['malformed header', c.malformed((await signed('current')).request), 'malformed_header']);
      if (c.window) {
        const beyond = c.window.beyondSeconds * 1000;
        rejections.push(['stale timestamp', (await signed('current', new Date(now - beyond))).request, 'stale_timestamp']);
        if (c.window.sides === 2) rejections.push(['future timestamp', (await signed('current', new Date(now + beyond))).request, 'stale_timestamp']);
      }
      await expectRejected(source, rejections, c.secretHeader);
    });

    if (c.window?.sides === 1) {
      it('accepts a future timestamp: the window is one-sided (age only), as the provider documents', async () => {
        const future = await signed('current', new Date(Date.now() + c.window!.beyondSeconds * 1000));
        if (c.libraryAccepts) expect(await c.libraryAccepts(future.request, context())).toBe(true);
        await expectAccepted(source, future, { secretId: source.currentSecretId });
      });
    }
  });

  describe('none', () => {
    it('accepts any request, unverified, with the configurable dedup key and event type', async () => {
      const { source } = await createTestSource({ provider: 'none' });
      const key = randomUUID();
      const body = JSON.stringify({ id: randomUUID(), type: 'ping.sent' });
      await expectAccepted(
        source,
        { request: { body, headers: { 'content-type': json, 'idempotency-key': key } }, dedupKey: key, eventType: 'ping.sent' },
        { secretId: null, verification: 'unverified' },
      );
    });
  });

  describe('handshakes, answered only after verification', () => {
    it('Slack url_verification: the challenge as JSON; unsigned, wrongly signed or rotated-out → 401, nothing stored', async () => {
      const source = await makeSource('slack', K.slack);
      const body = (challenge: string) => JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge, type: 'url_verification' });
      const challenge = `3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P${hex(2)}`;
      const good = await send(source.slug, slackSigned(body(challenge), K.slack.current, new Date()));
      expect(good.status).toBe(200);
      expect(good.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(good.text)).toEqual({ challenge });
      await expectRejected(source, [
        ['unsigned', { body: body(hex()), headers: { 'content-type': json } }, 'missing_header'],
        ['wrongly signed', slackSigned(body(hex()), K.slack.other, new Date()), 'bad_signature'],
        ['rotated-out secret', slackSigned(body(hex()), K.slack.old, new Date()), 'expired_secret'],
      ]);
      expect(await db().event.count({ where: { sourceId: source.id } })).toBe(0);
    });

    it('Zoom endpoint.url_validation: plainToken and its HMAC under the current secret; unsigned, wrongly signed or rotated-out → 401', async () => {
      const source = await makeSource('zoom', K.zoom);
      const body = (plainToken: string) => JSON.stringify({ payload: { plainToken }, event_ts: Date.now(), event: 'endpoint.url_validation' });
      const plainToken = `qgg8vlvZRS6UYooatFL8Aw${hex(2)}`;
      const good = await send(source.slug, zoomSigned(body(plainToken), K.zoom.current, new Date()));
      expect(good.status).toBe(200);
      expect(good.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(good.text)).toEqual({ plainToken, encryptedToken: createHmac('sha256', K.zoom.current).update(plainToken).digest('hex') });
      await expectRejected(source, [
        ['unsigned', { body: body(hex()), headers: { 'content-type': json } }, 'missing_header'],
        ['wrongly signed', zoomSigned(body(hex()), K.zoom.other, new Date()), 'bad_signature'],
        ['rotated-out secret', zoomSigned(body(hex()), K.zoom.old, new Date()), 'expired_secret'],
      ]);
      expect(await db().event.count({ where: { sourceId: source.id } })).toBe(0);
    });

    it('Twitch webhook_callback_verification: the raw challenge as text/plain; unsigned, wrongly signed or rotated-out → 401', async () => {
      const source = await makeSource('twitch', K.twitch);
      const body = (challenge: string) =>
        JSON.stringify({
          challenge,
          subscription: { id: randomUUID(), status: 'webhook_callback_verification_pending', type: 'channel.follow', version: '2' },
        });
      const challenge = `pogchamp-kappa-360noscope-vohiyo-${hex(2)}`;
      const good = await send(source.slug, twitchSigned(body(challenge), K.twitch.current, new Date(), 'webhook_callback_verification'));
      expect(good.status).toBe(200);
      expect(good.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(good.text).toBe(challenge);
      const unsigned = withoutHeader(
        twitchSigned(body(hex()), K.twitch.current, new Date(), 'webhook_callback_verification'),
        'twitch-eventsub-message-signature',
      );
      await expectRejected(source, [
        ['unsigned', unsigned, 'missing_header'],
        ['wrongly signed', twitchSigned(body(hex()), K.twitch.other, new Date(), 'webhook_callback_verification'), 'bad_signature'],
        ['rotated-out secret', twitchSigned(body(hex()), K.twitch.old, new Date(), 'webhook_callback_verification'), 'expired_secret'],
      ]);
      expect(await db().event.count({ where: { sourceId: source.id } })).toBe(0);
    });

    it('Discord interactions PING: {"type":1}; an unsigned or wrongly signed PING → 401 (Discord checks this)', async () => {
      const source = await makeSource('discord', { current: DISCORD_KEYS.current.publicKey, old: DISCORD_KEYS.old.publicKey });
      const ping = (id: string) => JSON.stringify({ type: 1, id, application_id: '1170000000000000000', token: 'dG9rZW4', version: 1 });
      const good = await send(source.slug, discordSigned(ping(String(nextInt())), 'current', new Date()));
      expect(good.status).toBe(200);
      expect(JSON.parse(good.text)).toEqual({ type: 1 });
      await expectRejected(source, [
        ['unsigned', { body: ping(String(nextInt())), headers: { 'content-type': json } }, 'missing_header'],
        ['wrongly signed', discordSigned(ping(String(nextInt())), 'other', new Date()), 'bad_signature'],
      ]);
      expect(await db().event.count({ where: { sourceId: source.id } })).toBe(0);
    });

    // The route handler answers this with a 500: app/api/ingest/[source]/route.ts passes the
    // handshake's body '' to `new Response('', { status: 204 })`, which throws (a 204 may have no
    // body). Marked as failing there until that file is fixed; the lean path is correct.
    it('Discord webhook-event PING: 204 with no body', async () => {
      const source = await makeSource('discord', { current: DISCORD_KEYS.current.publicKey, old: DISCORD_KEYS.old.publicKey });
      const response = await send(
        source.slug,
        discordSigned(JSON.stringify({ version: 1, application_id: String(nextInt()), type: 0 }), 'current', new Date()),
      );
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expect(await db().event.count({ where: { sourceId: source.id } })).toBe(0);
    });
  });

  describe('documented examples and URL signing', () => {
    it("Slack's documented slash-command example (form body; its 2018 timestamp accepted only with the window disabled)", async () => {
      const body =
        'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
      const request: Outgoing = {
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': '1531420618',
          'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
        },
      };
      const windowed = await makeSource('slack', K.slack);
      await expectRejected(windowed, [['2018 timestamp', request, 'stale_timestamp']]);
      const source = await makeSource('slack', K.slack, { toleranceSeconds: 0 });
      const event = await expectAccepted(
        source,
        { request, dedupKey: null, eventType: 'slash_command:/webhook-collect' },
        { secretId: source.currentSecretId },
      );
      expect(event).toMatchObject({ payload: null, contentType: 'application/x-www-form-urlencoded' });
    });

    it("Twilio's documented example, via the signedUrl setting", async () => {
      const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
      const source = await makeSource('twilio', { current: '12345', old: K.twilio.old }, { signedUrl: 'https://mycompany.com/myapp.php?foo=1&bar=2' });
      const request: Outgoing = {
        body: new URLSearchParams(params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' },
      };
      await expectAccepted(source, { request, dedupKey: null, eventType: null }, { secretId: source.currentSecretId });
    });

    it('Twilio JSON body through bodySHA256 (twilio library); a tampered JSON body is refused', async () => {
      const source = await makeSource('twilio', K.twilio);
      const jsonRequest = (body: string, who: Who): Outgoing => {
        const query = `?bodySHA256=${getExpectedBodyHash(body)}`;
        const token = randomUUID();
        return {
          body,
          query,
          headers: {
            'content-type': json,
            'x-twilio-signature': getExpectedTwilioSignature(K.twilio[who], providerUrl(source.slug, query), {}),
            'i-twilio-idempotency-token': token,
          },
        };
      };
      const body = JSON.stringify({ type: 'com.twilio.messaging.message.delivered', data: { messageSid: `SM${hex(16)}`, price: '1000' } });
      const valid = jsonRequest(body, 'current');
      await expectAccepted(
        source,
        { request: valid, dedupKey: valid.headers['i-twilio-idempotency-token']!, eventType: 'com.twilio.messaging.message.delivered' },
        { secretId: source.currentSecretId },
      );
      const other = jsonRequest(JSON.stringify({ type: 'com.twilio.messaging.message.sent', data: { messageSid: `SM${hex(16)}`, price: '1000' } }), 'current');
      await expectRejected(source, [['tampered JSON body', tamperBody(other), 'bad_signature']]);
    });

    it('Twilio: with HOOKYARD_PUBLIC_URL set, a signature over the internal URL is refused', async () => {
      const source = await makeSource('twilio', K.twilio);
      const params = { MessageSid: `SM${hex(16)}`, MessageStatus: 'delivered', Body: 'x' };
      const request: Outgoing = {
        body: new URLSearchParams(params).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': getExpectedTwilioSignature(K.twilio.current, server.ingestUrl(source.slug), params),
        },
      };
      await expectRejected(source, [['signed for the internal URL', request, 'bad_signature']]);
    });

    it('Twilio: without HOOKYARD_PUBLIC_URL, the URL is derived from the Host header', async () => {
      const source = await makeSource('twilio', K.twilio);
      const params = { MessageSid: `SM${hex(16)}`, MessageStatus: 'delivered', Body: 'x' };
      const request: Outgoing = {
        body: new URLSearchParams(params).toString(),
        query: '?a=1',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': getExpectedTwilioSignature(K.twilio.current, `${server.ingestUrl(source.slug)}?a=1`, params),
        },
      };
      setPublicUrl(undefined);
      try {
        await expectAccepted(source, { request, dedupKey: null, eventType: 'message.delivered' }, { secretId: source.currentSecretId });
      } finally {
        setPublicUrl(PUBLIC_URL);
      }
    });

    it("Square's documented example, via the notificationUrl setting", async () => {
      const notificationUrl = 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9';
      const body =
        '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}';
      const signature = 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=';
      expect(
        await SquareWebhooksHelper.verifySignature({ requestBody: body, signatureHeader: signature, signatureKey: K.square.current, notificationUrl }),
      ).toBe(true);
      const source = await makeSource('square', K.square, { notificationUrl });
      await expectAccepted(
        source,
        {
          request: { body, headers: { 'content-type': json, 'x-square-hmacsha256-signature': signature } },
          dedupKey: 'ac3ac95b-f97d-458c-a6e6-18981597e05f',
          eventType: 'webhooks.test_notification',
        },
        { secretId: source.currentSecretId },
      );
    });

    it('HubSpot: a query with percent-encodings, signed over the URI as HubSpot decodes it (only the encodings it lists)', async () => {
      const source = await makeSource('hubspot', K.hubspot);
      const query = '?redirect=https%3A%2F%2Fexample.com%2Fdone%3Fa%3D1&list=%28a%2Cb%29';
      const decoded = '?redirect=https://example.com/done?a%3D1&list=(a,b)'; // %3D is not in HubSpot's list
      const eventId = nextInt();
      const body = JSON.stringify([{ eventId, subscriptionId: 1, portalId: 62515, occurredAt: Date.now(), subscriptionType: 'deal.creation', objectId: 7 }]);
      const timestamp = Date.now();
      const signature = HubSpotSignature.getSignature('POST', 'v3', {
        clientSecret: K.hubspot.current,
        requestBody: body,
        url: providerUrl(source.slug, decoded),
        timestamp,
        signature: '',
      });
      await expectAccepted(
        source,
        {
          request: { body, query, headers: { 'content-type': json, 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) } },
          dedupKey: String(eventId),
          eventType: 'deal.creation',
        },
        { secretId: source.currentSecretId },
      );
    });

    it('SendGrid: a real SendGrid-signed request (from @sendgrid/eventwebhook) with no timestamp window by default', async () => {
      const publicKey = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==';
      const body =
        JSON.stringify([
          {
            email: 'hello@world.com',
            event: 'dropped',
            reason: 'Bounced Address',
            sg_event_id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
            sg_message_id: 'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0',
            'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>',
            timestamp: 1600112492,
          },
        ]) + '\r\n';
      const headers = {
        'content-type': json,
        'x-twilio-email-event-webhook-signature': 'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=',
        'x-twilio-email-event-webhook-timestamp': '1600112502',
      };
      const source = await makeSource('sendgrid', { current: publicKey, old: SENDGRID_KEYS.old.publicKey });
      await expectAccepted(
        source,
        { request: { body, headers }, dedupKey: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA', eventType: 'dropped' },
        { secretId: source.currentSecretId },
      );
    });
  });
});
