/** `npm run apikey:create -- --role ROLE --name NAME [--expires-in-days N]`: prints a new API key once. */
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { withDatabase } from '@/lib/db/local-database';
import { createApiKeySchema } from '@/lib/users/users.schema';
import { parseArgs } from './cli-args';

const args = parseArgs(process.argv.slice(2));
const parsed = createApiKeySchema.safeParse({
  name: args.name,
  role: args.role?.toUpperCase(),
  expiresInDays: args['expires-in-days'] ? Number(args['expires-in-days']) : undefined,
});
if (!parsed.success) {
  console.error(
    `usage: npm run apikey:create -- --role ADMIN|SUPPORT|VIEWER --name NAME [--expires-in-days N]\n${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}`,
  );
  process.exit(2);
}

withDatabase(async () => {
  const { key, apiKey } = await issueApiKey(parsed.data, 'system');
  console.error(`created API key "${apiKey.name}" (${apiKey.role}); it is shown only now:`);
  console.log(key);
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
