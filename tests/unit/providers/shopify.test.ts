import '@shopify/shopify-api/adapters/node';
import { createHmac } from 'node:crypto';
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';
import { describe, expect, it } from 'vitest';
import { shopify } from '@/lib/providers/shopify';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

const SECRET = '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';
const OTHER = 'shpss_00000000000000000000000000000000';
const payload = JSON.stringify({ id: 820982911946154500, email: 'jon@example.com', total_price: '403.00', financial_status: 'paid' });

const shopifyLib = shopifyApi({
  apiKey: 'hookyard-test',
  apiSecretKey: SECRET,
  scopes: [],
  hostName: 'hooks.example.com',
  apiVersion: ApiVersion.July25,
  isEmbeddedApp: false,
  logger: { level: LogSeverity.Error, log: async () => {} },
});

/** Asks @shopify/shopify-api whether it accepts these headers and body. */
async function libraryAccepts(headers: Record<string, string>, body: string): Promise<boolean> {
  const result = await shopifyLib.webhooks.validate({
    rawBody: body,
    rawRequest: { headers, method: 'POST', url: '/api/ingest/shop' } as never,
    rawResponse: {} as never,
  });
  return result.valid;
}

function signed(body = payload, secret = SECRET) {
  return makeRequest({
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
      'x-shopify-topic': 'orders/create',
      'x-shopify-api-version': '2025-07',
      'x-shopify-shop-domain': 'example.myshopify.com',
      'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    },
    body,
  });
}

describe('shopify preset', () => {
  it('accepts a request the Shopify library accepts (signed per the docs with node:crypto)', async () => {
    const request = signed();
    expect(await libraryAccepts(request.headers, payload)).toBe(true);
    expect(verify(shopify, request, secrets(SECRET))).toEqual(OK('first'));
  });

  it('rejects a tampered body, a wrong secret and a missing header (the library agrees)', async () => {
    const request = signed();
    const tampered = tamper(payload);
    expect(await libraryAccepts(request.headers, tampered)).toBe(false);
    expect(verify(shopify, withChanges(request, { rawBody: Buffer.from(tampered) }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(shopify, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(shopify, withChanges(request, { dropHeaders: ['x-shopify-hmac-sha256'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    expect(verify(shopify, withChanges(request, { setHeaders: { 'x-shopify-hmac-sha256': 'not base64!' } }), secrets(SECRET))).toEqual(
      FAIL('malformed_header'),
    );
  });

  it('matches the second of two secrets', () => {
    expect(verify(shopify, signed(), secrets(OTHER, SECRET))).toEqual(OK('second'));
  });

  it('dedups on X-Shopify-Webhook-Id, falling back to X-Shopify-Event-Id, and types by topic', () => {
    const request = signed();
    expect(shopify.dedupKey(request, parsed(request))).toBe('b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
    const noWebhookId = withChanges(request, { dropHeaders: ['x-shopify-webhook-id'] });
    expect(shopify.dedupKey(noWebhookId, parsed(noWebhookId))).toBe('98880550-7158-44d4-b7cd-2c97c8a091b5');
    expect(shopify.eventType(request, parsed(request))).toBe('orders/create');
  });

  it('produces a sample that the library and the preset accept', async () => {
    const sample = shopify.sampleRequest(SECRET, 'https://h.example.com/x', new Date(), {})!;
    expect(await libraryAccepts(sample.headers, sample.body)).toBe(true);
    expect(verify(shopify, makeRequest({ headers: sample.headers, body: sample.body }), secrets(SECRET))).toEqual(OK('first'));
  });
});
