/**
 * Svix: the Standard Webhooks scheme under `svix-id`, `svix-timestamp`, `svix-signature`
 * (`whsec_` secrets, base64-decoded; `v1,<base64>` entries; two-sided 5-minute window). White-label
 * Svix senders use the `webhook-*` names instead; Svix's own library accepts both, and so do we.
 * https://docs.svix.com/receiving/verifying-payloads/how-manual
 */
import { createStandardWebhooksPreset } from './standard-webhooks';

export const svix = createStandardWebhooksPreset({ id: 'svix', label: 'Svix', headerPrefixes: ['svix', 'webhook'] });
