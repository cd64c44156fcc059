/**
 * autocannon requests for the ingest section: every request is a fresh ~1 KiB Stripe event with
 * its own event id (so dedup never turns it into a 200), signed just before it is sent.
 */
import type autocannon from 'autocannon';
import Stripe from 'stripe';
import { nextEventId, stripeEventBody, stripeHeaders, stripeSignature } from './stripe-event';

export interface StripeRequestsOptions {
  slug: string;
  secret: string;
}

export function createRequests(options: StripeRequestsOptions): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: `/api/ingest/${encodeURIComponent(options.slug)}`,
      setupRequest(request) {
        const now = Math.floor(Date.now() / 1000);
        const body = stripeEventBody(nextEventId(), now);
        return { ...request, body, headers: stripeHeaders(options.secret, body, now) };
      },
    },
  ];
}

/** Our signer must agree with Stripe's own library, or every request would be a 401. */
export function selfCheck(options: StripeRequestsOptions): void {
  const body = stripeEventBody('evt_selfcheck', 1_700_000_000);
  const theirs = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload: body, secret: options.secret, timestamp: 1_700_000_000 });
  const ours = stripeSignature(options.secret, body, 1_700_000_000);
  if (theirs !== ours) throw new Error(`the bench's Stripe signature differs from the stripe library's (${ours} vs ${theirs})`);
}
