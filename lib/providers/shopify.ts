/**
 * Shopify: `X-Shopify-Hmac-Sha256: <base64>`, HMAC-SHA256 of the raw body keyed with the app's
 * client secret. No timestamp. Duplicates share `X-Shopify-Webhook-Id`; `X-Shopify-Event-Id` names
 * the event across subscriptions.
 * https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeSignature, hmac, randomHex } from './crypto';
import { fail, findSecretBySignature, getHeader, noSecrets, ok } from './parse';
import type { ProviderPreset } from './types';

export const shopifySettingsSchema = z.object({});
export type ShopifySettings = z.output<typeof shopifySettingsSchema>;

export const shopify: ProviderPreset<ShopifySettings> = {
  id: 'shopify',
  label: 'Shopify',
  secretLabel: 'App client secret',
  needsSecret: true,
  settingsSchema: shopifySettingsSchema,

  verify(request, secrets) {
    if (secrets.length === 0) return noSecrets();
    const header = getHeader(request, 'x-shopify-hmac-sha256');
    if (!header) return fail('missing_header', 'X-Shopify-Hmac-Sha256');
    const signature = decodeSignature(header, 'base64');
    if (!signature) return fail('malformed_header', 'X-Shopify-Hmac-Sha256 is not base64');
    const matched = findSecretBySignature(secrets, [signature], (secret) => hmac('sha256', secret.value, request.rawBody));
    return matched ? ok(matched.id) : fail('bad_signature');
  },

  dedupKey(request) {
    return getHeader(request, 'x-shopify-webhook-id') ?? getHeader(request, 'x-shopify-event-id') ?? null;
  },

  eventType(request) {
    return getHeader(request, 'x-shopify-topic') ?? null;
  },

  sampleRequest(secret, _url, now) {
    const orderId = Number.parseInt(randomHex(5), 16);
    const body = JSON.stringify({
      id: orderId,
      admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
      email: 'customer@example.com',
      created_at: now.toISOString(),
      currency: 'USD',
      total_price: '19.99',
      financial_status: 'paid',
      line_items: [{ id: 1, title: 'Hookyard T-shirt', quantity: 1, price: '19.99' }],
    });
    return {
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': 'example.myshopify.com',
        'x-shopify-api-version': '2025-07',
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': randomUUID(),
        'x-shopify-triggered-at': now.toISOString(),
        'x-shopify-hmac-sha256': hmac('sha256', secret, body).toString('base64'),
      },
      body,
    };
  },
};
