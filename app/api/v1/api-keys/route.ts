import { issueApiKey, listApiKeys } from '@/lib/auth/manage-api-keys';
import { apiRoute, created } from '@/lib/api/api-route';
import { createApiKeySchema } from '@/lib/users/users.schema';

export const GET = apiRoute({ role: 'ADMIN' }, async () => ({ data: await listApiKeys() }));

export const POST = apiRoute({ role: 'ADMIN', body: createApiKeySchema }, async ({ body, principal, ip }) => {
  const { key, apiKey } = await issueApiKey(body, principal, ip);
  return created({ ...apiKey, key });
});
