const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PROVIDER_ID = 24;

/**
 * The few characters that tell one record from another in a list. Our ids are UUIDv7: their
 * first 8 characters are a timestamp, so every event of the same minute started alike. What is
 * shown instead: the provider's own event id (the dedup key) when there is one, as people look
 * it up in the provider's dashboard (middle-truncated past 24 characters); otherwise the last 8
 * characters of the id, which are random.
 */
export function shortIdText(id: string, providerId?: string | null): string {
  if (providerId) return providerId.length > MAX_PROVIDER_ID ? `${providerId.slice(0, 11)}…${providerId.slice(-12)}` : providerId;
  return UUID.test(id) ? id.slice(-8) : id.length > 13 ? `…${id.slice(-8)}` : id;
}
