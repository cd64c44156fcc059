/**
 * `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (what `prisma migrate deploy`
 * does; the Prisma CLI cannot run here, see docs/migrations.md).
 *
 *   npm run db:migrate                            apply what is not applied yet
 *   npm run db:migrate -- --rolled-back NAME      settle a failed migration after repairing by hand
 *   npm run db:migrate -- --applied NAME          ... or record it as applied (prisma migrate resolve)
 */
import { currentDatabaseUrl } from '@/lib/config/settings';
import { applyMigrations, resolveFailedMigration } from '@/lib/db/migrate';

async function main(): Promise<void> {
  const databaseUrl = currentDatabaseUrl();

  const [flag, name] = process.argv.slice(2);
  if (flag === '--rolled-back' || flag === '--applied') {
    if (!name) throw new Error(`${flag} needs a migration name`);
    await resolveFailedMigration(databaseUrl, name, flag === '--rolled-back' ? 'rolled-back' : 'applied');
    console.log(`db:migrate: recorded ${name} as ${flag.slice(2)}`);
    return;
  }
  if (flag) throw new Error(`unknown argument ${flag} (expected --rolled-back NAME or --applied NAME)`);

  const started = Date.now();
  const { applied } = await applyMigrations(databaseUrl, { log: (msg) => console.log(`db:migrate: ${msg}`) });
  console.log(
    applied.length === 0 ? 'db:migrate: the database is up to date' : `db:migrate: applied ${applied.length} migration(s) in ${Date.now() - started} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(`db:migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
