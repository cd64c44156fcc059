import { issueApiKey, listApiKeys } from '@/lib/auth/manage-api-keys';
import { operations } from '@/lib/api/operations';
import { apiRoute, created } from '@/lib/api/api-route';

export const GET = apiRoute(operations.listApiKeys, async () => ({ data: await listApiKeys() }));

export const POST = apiRoute(operations.createApiKey, async ({ body, principal, ip }) => {
  const { key, apiKey } = await issueApiKey(body, principal, ip);
  return created({ ...apiKey, key });
});
