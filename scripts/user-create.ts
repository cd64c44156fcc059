/** `npm run user:create -- --email E --role R [--name N]`: creates a user and prints a generated password. */
import { ZodError } from 'zod';
import { signInSettings } from '@/lib/config/oidc-settings';
import { withDatabase } from '@/lib/db/local-database';
import { createUser } from '@/lib/users/manage-users';
import { createUserSchema } from '@/lib/users/users.schema';
import { parseArgs } from './cli-args';

const args = parseArgs(process.argv.slice(2));
const parsed = createUserSchema.safeParse({ email: args.email, role: args.role?.toUpperCase(), name: args.name });
if (!parsed.success) {
  console.error(
    `usage: npm run user:create -- --email EMAIL --role ADMIN|SUPPORT|VIEWER [--name NAME]\n${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}`,
  );
  process.exit(2);
}

// With password sign-in off a password would be useless: the user signs in through SSO, and their
// first sign-in with this (verified) email links the account (SPEC: the first admin can still be
// created from the shell).
const withoutPassword = !signInSettings().passwordLogin;

withDatabase(async () => {
  const { user, generatedPassword } = await createUser(parsed.data, 'system', null, { withoutPassword });
  console.log(`created ${user.email} (${user.role})`);
  if (generatedPassword) console.log(`password: ${generatedPassword}`);
  else console.log('no password: password sign-in is off (HOOKYARD_PASSWORD_LOGIN=false); sign in through SSO with this email');
}).catch((error: unknown) => {
  console.error(error instanceof ZodError ? error.issues[0]?.message : error instanceof Error ? error.message : String(error));
  process.exit(1);
});
