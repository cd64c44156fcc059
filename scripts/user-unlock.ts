/**
 * `npm run user:unlock -- --email E | --ip A | --all`: clears failed sign-in counters and locks
 * from the shell (lib/auth/sign-in-locks.ts, audited as the system), for when no admin can sign in.
 * `--email` clears the account and every account+address pair of it; `--ip` the address and every
 * pair from it.
 */
import { withDatabase } from '@/lib/db/local-database';
import { type ClearSelector, clearSignInLocks } from '@/lib/auth/sign-in-locks';
import { parseArgs } from './cli-args';

const USAGE = 'usage: npm run user:unlock -- --email EMAIL | --ip ADDRESS | --all';

const argv = process.argv.slice(2);
const args = parseArgs(argv);
const chosen = [args.email !== undefined, args.ip !== undefined, argv.includes('--all')].filter(Boolean).length;
if (chosen !== 1 || args.email === '' || args.ip === '') {
  console.error(USAGE);
  process.exit(2);
}
const selector: ClearSelector = args.email ? { email: args.email } : args.ip ? { ip: args.ip } : { all: true };

withDatabase(async () => {
  const cleared = await clearSignInLocks(selector, 'system');
  if (cleared.length === 0) console.log('nothing to clear');
  for (const lock of cleared) {
    console.log(`cleared ${lock.key} (${lock.failures} failures${lock.lockedUntil ? `, locked until ${lock.lockedUntil.toISOString()}` : ''})`);
  }
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
