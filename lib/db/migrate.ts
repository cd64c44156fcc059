// Applies prisma/migrations/* the way `prisma migrate deploy` does, and records them in Prisma's
// own `_prisma_migrations` table, so that on a machine that can run Prisma's schema engine
// `prisma migrate status` and `prisma migrate deploy` agree with what ran here.
// The Prisma CLI cannot run on our machines (it downloads its engine first); see docs/migrations.md.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** The advisory lock key `prisma migrate` itself takes, so our runner and Prisma's serialise too. */
const MIGRATION_LOCK_KEY = 72707369;

// Prisma's DDL for the table, column for column (schema-engine, sql-migration-connector).
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  log?: (msg: string) => void;
}

export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 hex of migration.sql's bytes: what Prisma stores in `checksum`. */
  checksum: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Every `<name>/migration.sql` under the directory, in name order (Prisma's order). */
export async function readMigrations(migrationsDir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await fs.readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      const bytes = await fs.readFile(file).catch((error: NodeJS.ErrnoException) => {
        throw new Error(`migration ${name} has no readable migration.sql (${error.code ?? error.message})`);
      });
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}

/**
 * Applies every migration not applied yet, in name order, each inside one transaction.
 * Concurrent runners (several processes starting at once) serialise on an advisory lock.
 */
export async function applyMigrations(databaseUrl: string, opts: ApplyMigrationsOptions = {}): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const migrations = await readMigrations(opts.migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'hookyard-migrate' });
  await client.connect();
  try {
    await acquireLock(client, log);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const rows = (
        await client.query<MigrationRow>(
          `SELECT migration_name, checksum, started_at, finished_at, rolled_back_at
             FROM "_prisma_migrations" ORDER BY started_at`,
        )
      ).rows;

      // Prisma's P3009: a failed migration blocks every later one until someone resolves it.
      const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
      if (failed) {
        throw new Error(
          `migration ${failed.migration_name} (started at ${failed.started_at.toISOString()}) failed earlier; ` +
            'no new migrations will be applied until it is resolved. Fix the database by hand, then mark it ' +
            `rolled back ("npm run db:migrate -- --rolled-back ${failed.migration_name}") or applied ` +
            `("--applied ${failed.migration_name}"). See docs/migrations.md (Prisma error P3009).`,
        );
      }

      const applied = new Map<string, MigrationRow>();
      for (const row of rows) if (row.finished_at !== null && row.rolled_back_at === null) applied.set(row.migration_name, row);

      const local = new Set(migrations.map((migration) => migration.name));
      for (const name of applied.keys()) {
        if (!local.has(name)) log(`warning: migration ${name} is applied to the database but missing from ${opts.migrationsDir ?? 'prisma/migrations'}`);
      }

      const done: string[] = [];
      for (const migration of migrations) {
        const row = applied.get(migration.name);
        if (row) {
          if (row.checksum !== migration.checksum && !checksumMatches(migration.sql, row.checksum)) {
            log(`warning: migration ${migration.name} was modified after it was applied (checksum differs from the database's)`);
          }
          continue;
        }
        await applyOne(client, migration);
        log(`applied ${migration.name}`);
        done.push(migration.name);
      }
      return { applied: done };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Like Prisma's script_matches_checksum: a file whose line endings git converted (LF <-> CRLF)
 * still counts as the migration that was applied.
 */
function checksumMatches(sql: string, checksum: string): boolean {
  const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  return [sql, sql.replaceAll('\r\n', '\n'), sql.replaceAll('\n', '\r\n')].some((variant) => sha(variant) === checksum);
}

async function acquireLock(client: pg.Client, log: (msg: string) => void): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY]);
  if (rows[0]?.locked) return;
  log('waiting for another migration run to finish');
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  const startedAt = new Date();
  try {
    await client.query('BEGIN');
    // One simple-protocol query: the file may hold many statements (as Prisma sends it).
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
      [id, migration.checksum, migration.name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const logs = describePgError(error);
    // Recorded like Prisma records a failed migration: finished_at stays null, so it blocks.
    const recorded = await client
      .query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count)
         VALUES ($1, $2, $3, $4, $5, 0)`,
        [id, migration.checksum, migration.name, logs, startedAt],
      )
      .then(
        () => '',
        () => ' (the failure could not be recorded either: is the database still reachable?)',
      );
    throw new Error(`migration ${migration.name} failed: ${logs.split('\n').join(' ')}${recorded}`, { cause: error });
  }
}

function describePgError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const e = error as Error & { code?: string; position?: string; detail?: string; hint?: string };
  return [
    e.message,
    e.code ? `Database error code: ${e.code}` : '',
    e.position ? `Position: character ${e.position} of migration.sql` : '',
    e.detail ? `Detail: ${e.detail}` : '',
    e.hint ? `Hint: ${e.hint}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * What `prisma migrate resolve --rolled-back NAME` / `--applied NAME` do: settle a failed
 * migration once someone has repaired the database by hand, so later migrations can run.
 */
export async function resolveFailedMigration(
  databaseUrl: string,
  name: string,
  as: 'rolled-back' | 'applied',
  opts: { migrationsDir?: string } = {},
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'hookyard-migrate' });
  await client.connect();
  try {
    await client.query(CREATE_MIGRATIONS_TABLE);
    const failed = await client.query(`SELECT id FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`, [
      name,
    ]);
    if (as === 'rolled-back') {
      if (failed.rowCount === 0) throw new Error(`migration ${name} is not in a failed state`);
      await client.query(
        `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`,
        [name],
      );
      return;
    }
    const migration = (await readMigrations(opts.migrationsDir)).find((m) => m.name === name);
    if (!migration) throw new Error(`migration ${name} does not exist locally`);
    const done = await client.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`, [
      name,
    ]);
    if (done.rowCount) throw new Error(`migration ${name} is already recorded as applied (Prisma error P3008)`);
    await client.query('BEGIN');
    await client.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`, [
      name,
    ]);
    // Prisma's mark_migration_applied row: empty logs, started = finished, no steps applied.
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, '', now(), now(), 0)`,
      [randomUUID(), migration.checksum, name],
    );
    await client.query('COMMIT');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database unless it exists. Safe when several processes race to create it. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`invalid database name "${name}" (use a-z, 0-9 and _)`);
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'hookyard-migrate' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      // 42P04 duplicate_database; 23505 when a concurrent CREATE won the catalog's unique index.
      const code = (error as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw error;
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
