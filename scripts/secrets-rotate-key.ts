/**
 * `npm run secrets:rotate-key`: re-encrypts every stored secret under the current
 * HOOKYARD_MASTER_KEY (lib/secrets/rotate-master-key.ts), printing counts per column. Exits
 * non-zero, having written nothing, when a stored value cannot be decrypted with a known key.
 *
 * Embedded mode (`.data/secrets.json`, no HOOKYARD_MASTER_KEY in the environment):
 *   --new-key        generate a new master key into `.data/secrets.json` (the old one moves to
 *                    previousMasterKeys), then re-encrypt; when `npm start` is running it must be
 *                    restarted first, so the script stops after writing the key and says so.
 *   --drop-previous  after a complete rotation, forget the previous keys.
 * docs/security-keys.md has the procedure for both modes.
 */
import { dataDirectory } from '@/lib/config/data-dir';
import { dropLocalPreviousMasterKeys, replaceLocalMasterKey } from '@/lib/config/local-secrets';
import { hasDatabaseUrl, hasMasterKeyInEnv } from '@/lib/config/settings';
import { embeddedDatabaseRunning, withDatabase } from '@/lib/db/local-database';
import { configuredMasterKeys, masterKeyId } from '@/lib/secrets/encryption';
import { rotateMasterKey } from '@/lib/secrets/rotate-master-key';

const USAGE = 'usage: npm run secrets:rotate-key [-- --new-key] [-- --drop-previous]   (--new-key and --drop-previous: embedded mode only)';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const unknown = argv.filter((arg) => arg !== '--new-key' && arg !== '--drop-previous');
  if (unknown.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const newKey = argv.includes('--new-key');
  const dropPrevious = argv.includes('--drop-previous');
  const embedded = !hasDatabaseUrl() && !hasMasterKeyInEnv();
  if ((newKey || dropPrevious) && !embedded) {
    console.error(
      '--new-key and --drop-previous manage the key in .data/secrets.json (embedded mode). With HOOKYARD_MASTER_KEY set, set the new key there and the old one in HOOKYARD_MASTER_KEY_PREVIOUS, restart every process, then run this command without options.',
    );
    return 2;
  }
  const dataDir = dataDirectory(process.cwd());
  if (newKey) {
    replaceLocalMasterKey(dataDir);
    console.log('wrote a new master key to .data/secrets.json (the old one is kept as a previous key, for decryption only)');
    if (await embeddedDatabaseRunning()) {
      console.log('npm start is running with the old key: restart it so that it encrypts with the new one, then run `npm run secrets:rotate-key`');
      return 0;
    }
  }

  return withDatabase(async () => {
    const keys = configuredMasterKeys();
    console.log(
      `re-encrypting under master key ${masterKeyId(keys.current).toString('hex')} (${keys.previous.length} previous key(s) accepted for decryption)`,
    );
    const report = await rotateMasterKey({
      onBatch: ({ table, column, reencrypted }) => console.log(`  ${table}.${column}: ${reencrypted} re-encrypted so far`),
    });
    for (const entry of report) {
      console.log(
        `${entry.table}.${entry.column}: ${entry.total} stored, ${entry.alreadyCurrent} already under the current key, ${entry.reencrypted} re-encrypted`,
      );
    }
    console.log('every stored secret is under the current master key');
    if (dropPrevious) {
      dropLocalPreviousMasterKeys(dataDir);
      console.log('forgot the previous master keys in .data/secrets.json');
    } else if (keys.previous.length > 0) {
      console.log(
        embedded
          ? 'the previous keys are no longer needed: run `npm run secrets:rotate-key -- --drop-previous` to forget them'
          : 'HOOKYARD_MASTER_KEY_PREVIOUS is no longer needed: remove it and restart the processes',
      );
    }
    return 0;
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
