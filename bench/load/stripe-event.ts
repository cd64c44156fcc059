/**
 * Realistic Stripe webhook bodies of about 1 KiB (a `payment_intent.succeeded` event, shaped like
 * the ones Stripe sends), each with its own event id, and Stripe's signature header for them:
 * `Stripe-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of "t.body" keyed with the whsec_ secret>`.
 */
import { createHmac, randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function stripeId(length = 24): string {
  const bytes = randomBytes(length);
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[bytes[i]! % ALPHABET.length];
  return id;
}

/** Event ids unique across processes: a random prefix per process and a counter. */
const processPrefix = stripeId(10);
let counter = 0;

export function nextEventId(): string {
  return `evt_${processPrefix}${(++counter).toString(36).padStart(8, '0')}`;
}

export function stripeEventBody(eventId: string, createdSeconds: number): string {
  const pi = `pi_${stripeId()}`;
  const amount = 1000 + (counter % 9000);
  return JSON.stringify({
    id: eventId,
    object: 'event',
    api_version: '2024-06-20',
    created: createdSeconds,
    data: {
      object: {
        id: pi,
        object: 'payment_intent',
        amount,
        amount_capturable: 0,
        amount_received: amount,
        application: null,
        canceled_at: null,
        capture_method: 'automatic_async',
        client_secret: `${pi}_secret_${stripeId(25)}`,
        confirmation_method: 'automatic',
        created: createdSeconds - 2,
        currency: 'usd',
        customer: `cus_${stripeId(14)}`,
        description: 'Subscription update',
        latest_charge: `ch_${stripeId()}`,
        livemode: false,
        metadata: { order_id: String(100000 + (counter % 900000)), plan: 'pro-monthly' },
        payment_method: `pm_${stripeId()}`,
        payment_method_types: ['card'],
        receipt_email: 'jenny.rosen@example.com',
        setup_future_usage: 'off_session',
        statement_descriptor_suffix: 'HOOKYARD',
        status: 'succeeded',
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: `req_${stripeId(14)}`, idempotency_key: `${stripeId(8)}-${stripeId(4)}-${stripeId(4)}-${stripeId(12)}` },
    type: 'payment_intent.succeeded',
  });
}

export function stripeSignature(secret: string, body: string, timestampSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

/** The headers Stripe sends with a webhook, signed. */
export function stripeHeaders(secret: string, body: string, timestampSeconds: number): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    accept: '*/*; q=0.5, application/xml',
    'cache-control': 'no-cache',
    'stripe-signature': stripeSignature(secret, body, timestampSeconds),
  };
}
