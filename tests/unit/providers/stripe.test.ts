import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { stripe } from '@/lib/providers/stripe';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

const stripeLib = new Stripe('sk_test_hookyard_unit');
const SECRET = 'whsec_test_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH';
const OTHER = 'whsec_other_0000000000000000000000000000';
const now = new Date('2026-11-27T12:00:00Z');
const nowS = Math.floor(now.getTime() / 1000);
const payload = JSON.stringify({
  id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy',
  object: 'event',
  type: 'payment_intent.succeeded',
  data: { object: { id: 'pi_1', amount: 2000 } },
});

function signed(opts: { secret?: string; timestamp?: number; body?: string } = {}) {
  const header = stripeLib.webhooks.generateTestHeaderString({
    payload: opts.body ?? payload,
    secret: opts.secret ?? SECRET,
    timestamp: opts.timestamp ?? nowS,
  });
  return makeRequest({ headers: { 'Stripe-Signature': header, 'content-type': 'application/json' }, body: opts.body ?? payload, receivedAt: now });
}

describe('stripe preset', () => {
  it('accepts a request signed by the stripe library and names the secret', () => {
    expect(verify(stripe, signed(), secrets(SECRET))).toEqual(OK('first'));
  });

  it('rejects a tampered body, a wrong secret and a missing header', () => {
    const request = signed();
    expect(verify(stripe, withChanges(request, { rawBody: Buffer.from(tamper(payload)) }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(stripe, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(stripe, withChanges(request, { dropHeaders: ['stripe-signature'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    expect(verify(stripe, withChanges(request, { setHeaders: { 'stripe-signature': `t=${nowS}` } }), secrets(SECRET))).toEqual(FAIL('malformed_header'));
    expect(verify(stripe, request, [])).toEqual(FAIL('unknown_secret'));
  });

  it('enforces the 300 s default tolerance on old timestamps, like the library', () => {
    expect(verify(stripe, signed({ timestamp: nowS - 299 }), secrets(SECRET))).toEqual(OK('first'));
    const stale = signed({ timestamp: nowS - 301 });
    expect(verify(stripe, stale, secrets(SECRET))).toEqual(FAIL('stale_timestamp'));
    // the library agrees on the same request
    expect(() => stripeLib.webhooks.constructEvent(payload, stale.headers['stripe-signature']!, SECRET, 300, undefined, now.getTime())).toThrow(/tolerance/);
  });

  it('is one-sided like the library: a future timestamp passes, an overridden tolerance applies', () => {
    const future = signed({ timestamp: nowS + 3600 });
    expect(verify(stripe, future, secrets(SECRET))).toEqual(OK('first'));
    expect(stripeLib.webhooks.constructEvent(payload, future.headers['stripe-signature']!, SECRET, 300, undefined, now.getTime()).id).toBe(
      'evt_1NG8Du2eZvKYlo2CUI79vXWy',
    );
    expect(verify(stripe, signed({ timestamp: nowS - 120 }), secrets(SECRET), { toleranceSeconds: 60 })).toEqual(FAIL('stale_timestamp'));
  });

  it('matches the second of two secrets and reports its id', () => {
    expect(verify(stripe, signed(), secrets(OTHER, SECRET))).toEqual(OK('second'));
  });

  it('accepts several v1 signatures in one header (secret roll)', () => {
    const good = signed().headers['stripe-signature']!;
    const bad = signed({ secret: OTHER }).headers['stripe-signature']!;
    const goodV1 = good.split(',').find((p) => p.startsWith('v1='))!;
    const header = `${bad},${goodV1}`; // t=…,v1=<bad>,v1=<good>
    const request = withChanges(signed(), { setHeaders: { 'stripe-signature': header } });
    expect(verify(stripe, request, secrets(SECRET))).toEqual(OK('first'));
    expect(stripeLib.webhooks.constructEvent(payload, header, SECRET, 300, undefined, now.getTime()).type).toBe('payment_intent.succeeded');
  });

  it('takes the dedup key and event type from the event body', () => {
    const request = signed();
    expect(stripe.dedupKey(request, parsed(request))).toBe('evt_1NG8Du2eZvKYlo2CUI79vXWy');
    expect(stripe.eventType(request, parsed(request))).toBe('payment_intent.succeeded');
  });

  it('produces a sample the library and the preset both accept', () => {
    const sample = stripe.sampleRequest(SECRET, 'https://hooks.example.com/api/ingest/s', now, stripe.settingsSchema.parse({}))!;
    const event = stripeLib.webhooks.constructEvent(sample.body, sample.headers['stripe-signature']!, SECRET, 300, undefined, now.getTime());
    expect(event.type).toBe('payment_intent.succeeded');
    const request = makeRequest({ headers: sample.headers, body: sample.body, receivedAt: now });
    expect(verify(stripe, request, secrets(SECRET))).toEqual(OK('first'));
    expect(stripe.dedupKey(request, parsed(request))).toMatch(/^evt_/);
    // two samples are distinct events, so "Send test event" twice is not deduplicated
    const again = stripe.sampleRequest(SECRET, 'https://hooks.example.com/api/ingest/s', now, stripe.settingsSchema.parse({}))!;
    expect(JSON.parse(again.body).id).not.toBe(event.id);
  });
});
