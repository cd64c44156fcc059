// The migration runner (lib/db/migrate.ts) and the migrations themselves.
//
// 1. The runner records what it applies in `_prisma_migrations` exactly as `prisma migrate deploy`
//    would, applies each migration once, serialises concurrent runs and stops at a failure.
// 2. The migrations build what prisma/schema.prisma describes: every table, column (type,
//    nullability, default), enum, key, index and foreign key; and every model stores and returns
//    every one of its fields through the generated client. Migrations are written by hand-run
//    tooling (docs/migrations.md), so this is what catches a migration that drifted from the schema.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PrismaClient } from '@/lib/db/generated/client';
import * as generatedEnums from '@/lib/db/generated/enums';
import { applyMigrations, ensureDatabase, resolveFailedMigration } from '@/lib/db/migrate';
import { databaseUrl, dropDatabase, withPgAt } from '../support/db';

const root = fileURLToPath(new URL('../../', import.meta.url));
const migrationsDir = path.join(root, 'prisma/migrations');
const adminUrl = inject('hookyardAdminUrl');

const createdDatabases: string[] = [];
const tempDirs: string[] = [];

/** A new, empty database (not the template): migrations must build everything from nothing. */
async function emptyDatabase(): Promise<string> {
  const name = `mig_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  createdDatabases.push(name);
  return databaseUrl(adminUrl, name);
}

afterAll(async () => {
  // A throwaway embedded server is deleted with everything on it after the run.
  if (!inject('hookyardDisposableServer')) for (const name of createdDatabases) await dropDatabase(adminUrl, name);
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

/** The migrations as they are on disk, read independently of the runner. */
async function migrationsOnDisk(): Promise<{ name: string; checksum: string }[]> {
  const entries = await fs.readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      checksum: createHash('sha256')
        .update(await fs.readFile(path.join(migrationsDir, name, 'migration.sql')))
        .digest('hex'),
    })),
  );
}

interface PrismaMigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

function migrationRows(url: string): Promise<PrismaMigrationRow[]> {
  return withPgAt(
    url,
    async (client) => (await client.query<PrismaMigrationRow>('SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name')).rows,
  );
}

/** A copy of the real migrations plus extra ones, for runs that must not touch the real folder. */
async function migrationsDirWith(extra: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hookyard-migrations-'));
  tempDirs.push(dir);
  await fs.cp(migrationsDir, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await fs.mkdir(path.join(dir, name), { recursive: true });
    await fs.writeFile(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe('migration runner', () => {
  it('applies every migration to an empty database and records each one as Prisma does', async () => {
    const url = await emptyDatabase();
    const onDisk = await migrationsOnDisk();
    expect(onDisk.length).toBeGreaterThan(0);

    const { applied } = await applyMigrations(url);
    expect(applied).toEqual(onDisk.map((m) => m.name));

    const rows = await migrationRows(url);
    expect(rows.map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.checksum).toBe(onDisk[i]?.checksum);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("creates _prisma_migrations with exactly Prisma's columns", async () => {
    const url = await emptyDatabase();
    await applyMigrations(url);
    const columns = await withPgAt(
      url,
      async (client) =>
        (
          await client.query(
            `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
             FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
          )
        ).rows,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', length: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', length: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', length: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', length: null, is_nullable: 'NO', column_default: '0' },
    ]);
  });

  it('applies nothing on a second run', async () => {
    const url = await emptyDatabase();
    await applyMigrations(url);
    const before = await migrationRows(url);

    const logs: string[] = [];
    const { applied } = await applyMigrations(url, { log: (m) => logs.push(m) });

    expect(applied).toEqual([]);
    expect(await migrationRows(url)).toEqual(before);
    expect(logs.filter((l) => l.startsWith('warning'))).toEqual([]);
  });

  it('lets two runners start on the same empty database at once without conflict', async () => {
    const url = await emptyDatabase();
    const onDisk = await migrationsOnDisk();

    const results = await Promise.all([applyMigrations(url), applyMigrations(url)]);

    expect(results.flatMap((r) => r.applied).sort()).toEqual(onDisk.map((m) => m.name));
    expect((await migrationRows(url)).map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
  });

  it('waits for the advisory lock that prisma migrate takes before touching anything', async () => {
    const url = await emptyDatabase();
    await withPgAt(url, async (holder) => {
      await holder.query('SELECT pg_advisory_lock(72707369)');
      const logs: string[] = [];
      const run = applyMigrations(url, { log: (m) => logs.push(m) });
      await expect.poll(() => logs).toContain('waiting for another migration run to finish');
      const tables = await holder.query(`SELECT to_regclass('public._prisma_migrations') AS t`);
      expect(tables.rows[0].t).toBeNull();

      await holder.query('SELECT pg_advisory_unlock(72707369)');
      expect((await run).applied.length).toBe((await migrationsOnDisk()).length);
    });
  });

  it('records a failed migration, rolls it back, and refuses to go on until it is resolved', async () => {
    const url = await emptyDatabase();
    const broken = '99991231000000_broken';
    const dir = await migrationsDirWith({
      [broken]: 'CREATE TABLE "broken_probe" ("id" INTEGER);\nSELECT 1 / 0;\n',
    });

    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(new RegExp(`migration ${broken} failed: division by zero`));

    const rows = await migrationRows(url);
    const failed = rows.find((r) => r.migration_name === broken);
    expect(failed).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(failed?.logs).toContain('division by zero');
    expect(failed?.checksum).toBe(
      createHash('sha256')
        .update(await fs.readFile(path.join(dir, broken, 'migration.sql')))
        .digest('hex'),
    );
    // Everything before it is applied; its own statements are rolled back.
    expect(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name)).toEqual((await migrationsOnDisk()).map((m) => m.name));
    const probe = await withPgAt(url, (c) => c.query(`SELECT to_regclass('public.broken_probe') AS t`));
    expect(probe.rows[0].t).toBeNull();

    // Like Prisma's P3009: even a fixed file is not applied while the failure is unresolved.
    await fs.writeFile(path.join(dir, broken, 'migration.sql'), 'CREATE TABLE "broken_probe" ("id" INTEGER);\n');
    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(new RegExp(`migration ${broken} .*failed earlier`));

    await resolveFailedMigration(url, broken, 'rolled-back', { migrationsDir: dir });
    expect((await applyMigrations(url, { migrationsDir: dir })).applied).toEqual([broken]);
    const finalRows = (await migrationRows(url)).filter((r) => r.migration_name === broken);
    expect(finalRows).toHaveLength(2);
    expect(finalRows.filter((r) => r.rolled_back_at !== null)).toHaveLength(1);
    expect(finalRows.filter((r) => r.finished_at !== null && r.applied_steps_count === 1)).toHaveLength(1);
  });

  it('warns when an applied migration was edited afterwards, but not for converted line endings', async () => {
    const url = await emptyDatabase();
    const name = '99991231000000_probe';
    const dir = await migrationsDirWith({ [name]: 'CREATE TABLE "probe" ("id" INTEGER);\n' });
    await applyMigrations(url, { migrationsDir: dir });

    // Line endings converted by git (LF -> CRLF) do not count as an edit, as in Prisma.
    await fs.writeFile(path.join(dir, name, 'migration.sql'), 'CREATE TABLE "probe" ("id" INTEGER);\r\n');
    const quiet: string[] = [];
    await applyMigrations(url, { migrationsDir: dir, log: (m) => quiet.push(m) });
    expect(quiet).toEqual([]);

    await fs.writeFile(path.join(dir, name, 'migration.sql'), 'CREATE TABLE "probe" ("id" BIGINT);\n');
    const logs: string[] = [];
    const { applied } = await applyMigrations(url, { migrationsDir: dir, log: (m) => logs.push(m) });

    expect(applied).toEqual([]);
    expect(logs).toContainEqual(expect.stringMatching(new RegExp(`warning: migration ${name} was modified`)));
  });
});

// ---------------------------------------------------------------------------------------------
// What schema.prisma describes, read from the schema file and from the generated client.

interface SchemaField {
  name: string;
  type: string;
  list: boolean;
  optional: boolean;
  attributes: string;
}

interface SchemaModel {
  name: string;
  fields: SchemaField[];
  blockAttributes: string[];
}

interface RuntimeField {
  name: string;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  dbName?: string;
}

type RuntimeDataModel = { models: Record<string, { fields: RuntimeField[]; dbName: string | null }> };

/** A small reader for the subset of the Prisma schema language this project uses. */
function parseSchema(text: string): { models: SchemaModel[]; enums: Map<string, string[]> } {
  const clean = text
    .split('\n')
    .map((line) => line.replace(/^\s*\/\/.*$/, '').replace(/\s+\/\/[^"]*$/, ''))
    .join('\n');
  const models: SchemaModel[] = [];
  const enums = new Map<string, string[]>();
  for (const block of clean.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const [, kind, name, body] = block as unknown as [string, string, string, string];
    const lines = body
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (kind === 'enum') {
      enums.set(
        name,
        lines.filter((l) => !l.startsWith('@@')).map((l) => l.split(/\s+/)[0]!),
      );
      continue;
    }
    const model: SchemaModel = { name, fields: [], blockAttributes: [] };
    for (const line of lines) {
      if (line.startsWith('@@')) {
        model.blockAttributes.push(line);
        continue;
      }
      const match = /^(\w+)\s+(\w+)(\[\]|\?)?\s*(.*)$/.exec(line);
      if (!match) throw new Error(`cannot read the field line "${line}" of model ${name}`);
      const [, fieldName, type, modifier, attributes] = match as unknown as [string, string, string, string | undefined, string];
      model.fields.push({ name: fieldName, type, list: modifier === '[]', optional: modifier === '?', attributes });
    }
    models.push(model);
  }
  return { models, enums };
}

/** The names inside the first [...] of an attribute, e.g. "@@index([a(sort: Desc), b])". */
function attributeColumns(attribute: string): { name: string; desc: boolean }[] {
  const inner = /\[([^\]]*)\]/.exec(attribute)?.[1] ?? '';
  return inner
    .split(/,(?![^(]*\))/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => ({ name: part.replace(/\(.*\)$/, ''), desc: /sort:\s*Desc/.test(part) }));
}

const SCALAR_UDT: Record<string, string> = {
  String: 'text',
  Int: 'int4',
  BigInt: 'int8',
  Float: 'float8',
  Decimal: 'numeric',
  Boolean: 'bool',
  DateTime: 'timestamp',
  Json: 'jsonb',
  Bytes: 'bytea',
};
const CLIENT_SIDE_DEFAULT = /@default\((uuid|cuid|nanoid|ulid)\(/;
const ON_DELETE_CODE: Record<string, string> = { Cascade: 'c', SetNull: 'n', Restrict: 'r', NoAction: 'a', SetDefault: 'd' };

describe('the migrations build what schema.prisma describes', () => {
  let url: string;
  let prisma: PrismaClient;
  let schema: ReturnType<typeof parseSchema>;
  let runtime: RuntimeDataModel;
  const tableOf = (model: string) => runtime.models[model]?.dbName ?? model;
  const columnOf = (model: string, field: string) => runtime.models[model]?.fields.find((f) => f.name === field)?.dbName ?? field;

  beforeAll(async () => {
    url = await emptyDatabase();
    await applyMigrations(url);
    schema = parseSchema(await fs.readFile(path.join(root, 'prisma/schema.prisma'), 'utf8'));
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    // The client's own copy of the data model (names, kinds, @map/@@map), generated from the schema.
    runtime = (prisma as unknown as { _runtimeDataModel: RuntimeDataModel })._runtimeDataModel;
  });

  afterAll(async () => {
    await prisma?.$disconnect();
  });

  it('the generated client matches schema.prisma (run `npm run db:generate` if not)', () => {
    const fromSchema = schema.models.map((m) => ({
      model: m.name,
      fields: m.fields.map((f) => `${f.name}:${f.type}:${/@map\("([^"]+)"\)/.exec(f.attributes)?.[1] ?? f.name}`),
    }));
    const fromClient = Object.entries(runtime.models).map(([model, m]) => ({
      model,
      fields: m.fields.map((f) => `${f.name}:${f.type}:${f.dbName ?? f.name}`),
    }));
    expect(fromClient).toEqual(fromSchema);

    const clientEnums = Object.entries(generatedEnums)
      .filter(([, value]) => typeof value === 'object')
      .map(([name, value]) => [name, Object.values(value as Record<string, string>)]);
    expect(new Map(clientEnums as [string, string[]][])).toEqual(schema.enums);
  });

  it('has exactly the tables and columns of the models, with their types, nullability and defaults', async () => {
    const expected: string[] = [];
    for (const model of schema.models) {
      for (const field of model.fields) {
        if (!SCALAR_UDT[field.type] && !schema.enums.has(field.type)) continue; // a relation
        let udt = schema.enums.has(field.type) ? field.type : SCALAR_UDT[field.type]!;
        if (/@db\.Uuid\b/.test(field.attributes)) udt = 'uuid';
        if (/@db\.Timestamptz\b/.test(field.attributes)) udt = 'timestamptz';
        const precision = field.type === 'DateTime' && !field.list ? Number(/@db\.Timestamp(?:tz)?\((\d+)\)/.exec(field.attributes)?.[1] ?? 3) : null;
        // Prisma creates scalar lists without NOT NULL; everything else follows the "?".
        const nullable = field.list || field.optional;
        const dbDefault = /@default\(/.test(field.attributes) && !CLIENT_SIDE_DEFAULT.test(field.attributes);
        expected.push(
          `${tableOf(model.name)}.${columnOf(model.name, field.name)} ${field.list ? '_' : ''}${udt}` +
            `${precision === null ? '' : `(${precision})`}${nullable ? '' : ' NOT NULL'}${dbDefault ? ' DEFAULT' : ''}`,
        );
      }
    }
    const actual = await withPgAt(url, async (client) =>
      (
        await client.query<{ t: string; c: string; udt: string; p: number | null; nullable: string; def: string | null }>(
          `SELECT table_name AS t, column_name AS c, udt_name AS udt, datetime_precision AS p,
                  is_nullable AS nullable, column_default AS def
             FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
        )
      ).rows.map(
        (r) =>
          `${r.t}.${r.c} ${r.udt}${r.udt === 'timestamptz' || r.udt === 'timestamp' ? `(${r.p})` : ''}` +
          `${r.nullable === 'NO' ? ' NOT NULL' : ''}${r.def === null ? '' : ' DEFAULT'}`,
      ),
    );
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('has exactly the enums of the schema, with their values in order', async () => {
    const actual = await withPgAt(
      url,
      async (client) =>
        (
          await client.query<{ name: string; labels: string[] }>(
            `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
             FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = 'public' GROUP BY t.typname`,
          )
        ).rows,
    );
    expect(new Map(actual.map((r) => [r.name, r.labels]))).toEqual(schema.enums);
  });

  it('has exactly the primary keys, unique constraints and indexes of the schema', async () => {
    const expected: string[] = [];
    const describeIndex = (kind: string, table: string, cols: string[], method = 'btree') => `${kind} ${table}(${cols.join(', ')}) ${method}`;
    for (const model of schema.models) {
      const table = tableOf(model.name);
      const col = (name: string, desc = false) => `${columnOf(model.name, name)}${desc ? ' DESC' : ''}`;
      for (const field of model.fields) {
        if (/@id\b/.test(field.attributes)) expected.push(describeIndex('primary', table, [col(field.name)]));
        if (/@unique\b/.test(field.attributes)) expected.push(describeIndex('unique', table, [col(field.name)]));
      }
      for (const attribute of model.blockAttributes) {
        const kind = /^@@(id|unique|index)\b/.exec(attribute)?.[1];
        if (!kind) continue;
        const cols = attributeColumns(attribute).map((c) => col(c.name, c.desc));
        const method = /type:\s*(\w+)/.exec(attribute)?.[1]?.toLowerCase() ?? 'btree';
        expected.push(describeIndex(kind === 'id' ? 'primary' : kind, table, cols, method));
      }
    }
    const actual = await withPgAt(url, async (client) =>
      (
        await client.query<{ t: string; primary: boolean; unique: boolean; method: string; cols: string[]; desc: boolean[] }>(
          `SELECT c.relname AS t, ix.indisprimary AS primary, ix.indisunique AS unique, am.amname AS method,
                  array(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum ORDER BY k.ord) AS cols,
                  array(SELECT (o & 1) = 1 FROM unnest(ix.indoption::int2[]) WITH ORDINALITY k(o, ord) ORDER BY k.ord) AS desc
             FROM pg_index ix
             JOIN pg_class c ON c.oid = ix.indrelid
             JOIN pg_class i ON i.oid = ix.indexrelid
             JOIN pg_am am ON am.oid = i.relam
             JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relname <> '_prisma_migrations' AND ix.indpred IS NULL`,
        )
      ).rows.map((r) =>
        describeIndex(
          r.primary ? 'primary' : r.unique ? 'unique' : 'index',
          r.t,
          r.cols.map((name, i) => `${name}${r.desc[i] ? ' DESC' : ''}`),
          r.method,
        ),
      ),
    );
    expect(actual.sort()).toEqual(expected.sort());
  });

  // Partial indexes, which Prisma cannot describe: each is named in a comment on its model.
  it('has exactly the partial indexes the schema comments name', async () => {
    const actual = await withPgAt(
      url,
      async (client) =>
        (
          await client.query<{ name: string; def: string }>(
            `SELECT i.relname AS name, pg_get_indexdef(ix.indexrelid) AS def
             FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
            WHERE n.nspname = 'public' AND ix.indpred IS NOT NULL ORDER BY 1`,
          )
        ).rows,
    );
    expect(actual.map((r) => r.name)).toEqual([
      'alert_notifications_due_idx',
      'alerts_one_open_per_target',
      'deliveries_failed_idx',
      'deliveries_replays_by_pair_idx',
    ]);
    const schemaText = await fs.readFile(path.join(root, 'prisma/schema.prisma'), 'utf8');
    for (const { name } of actual) expect(schemaText, `schema.prisma names ${name}`).toContain(name);
    expect(actual[1]!.def).toMatch(
      /UNIQUE INDEX alerts_one_open_per_target .*\(kind, COALESCE\(destination_id, source_id, channel_id\)\) WHERE \(status <> 'resolved'/,
    );
  });

  it('has exactly the foreign keys of the relations, with their referential actions', async () => {
    const expected: string[] = [];
    for (const model of schema.models) {
      for (const field of model.fields) {
        const relation = /@relation\(([^)]*)\)/.exec(field.attributes)?.[1];
        const fields = relation && /fields:\s*\[([^\]]*)\]/.exec(relation)?.[1];
        if (!relation || !fields) continue;
        const references = /references:\s*\[([^\]]*)\]/.exec(relation)?.[1] ?? '';
        const onDelete = /onDelete:\s*(\w+)/.exec(relation)?.[1] ?? (field.optional ? 'SetNull' : 'Restrict');
        const onUpdate = /onUpdate:\s*(\w+)/.exec(relation)?.[1] ?? 'Cascade';
        const split = (list: string) => list.split(',').map((s) => s.trim());
        expected.push(
          `${tableOf(model.name)}(${split(fields)
            .map((f) => columnOf(model.name, f))
            .join(', ')}) -> ` +
            `${tableOf(field.type)}(${split(references)
              .map((f) => columnOf(field.type, f))
              .join(', ')}) ` +
            `delete:${ON_DELETE_CODE[onDelete]} update:${ON_DELETE_CODE[onUpdate]}`,
        );
      }
    }
    const actual = await withPgAt(url, async (client) =>
      (
        await client.query<{ t: string; cols: string[]; ref: string; refcols: string[]; del: string; upd: string }>(
          `SELECT src.relname AS t, tgt.relname AS ref, con.confdeltype::text AS del, con.confupdtype::text AS upd,
                  array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
                  array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS refcols
             FROM pg_constraint con
             JOIN pg_class src ON src.oid = con.conrelid
             JOIN pg_class tgt ON tgt.oid = con.confrelid
             JOIN pg_namespace n ON n.oid = src.relnamespace
            WHERE con.contype = 'f' AND n.nspname = 'public'`,
        )
      ).rows.map((r) => `${r.t}(${r.cols.join(', ')}) -> ${r.ref}(${r.refcols.join(', ')}) delete:${r.del} update:${r.upd}`),
    );
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('stores and returns every field of every model through the generated client', async () => {
    const at = (iso: string) => new Date(iso);
    const bytes = (...values: number[]) => Uint8Array.from(values);
    const id = {
      user: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a01',
      apiKey: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a02',
      source: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a03',
      destination: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a04',
      secret: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a05',
      route: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a06',
      event: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a07',
      rejected: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a08',
      replay: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a09',
      originalDelivery: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a0a',
      delivery: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a0b',
      attempt: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a0c',
      alert: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a0d',
      audit: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a0e',
      channel: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a0f',
      notification: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a10',
    };

    // Every scalar field set, to values that differ from the column defaults.
    const user = {
      id: id.user,
      email: 'ada@example.test',
      name: 'Ada Lovelace – ünïcode ✓',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
      role: 'SUPPORT' as const,
      active: false,
      sessionVersion: 7,
      createdAt: at('2025-01-02T03:04:05.006Z'),
      updatedAt: at('2025-01-03T03:04:05.007Z'),
      lastLoginAt: at('2025-01-04T03:04:05.008Z'),
      deactivatedAt: at('2025-01-05T03:04:05.009Z'),
      oidcIssuer: 'https://idp.example.test/realms/ünï',
      oidcSubject: 'f:9b1c…:ada',
    };
    const apiKey = {
      id: id.apiKey,
      name: 'deploy bot',
      prefix: 'hky_AbC1',
      keyHash: 'a'.repeat(64),
      role: 'ADMIN' as const,
      createdById: id.user,
      createdAt: at('2025-02-01T00:00:00.001Z'),
      lastUsedAt: at('2025-02-02T00:00:00.002Z'),
      expiresAt: at('2026-02-01T00:00:00.003Z'),
      revokedAt: at('2025-02-03T00:00:00.004Z'),
    };
    const authThrottle = {
      key: 'email:ada@example.test',
      failures: 4,
      windowStart: at('2025-03-01T10:00:00.123Z'),
      lockedUntil: at('2025-03-01T10:15:00.456Z'),
      lastFailedAt: at('2025-03-01T10:05:00.789Z'),
    };
    const source = {
      id: id.source,
      slug: 'stripe-live',
      name: 'Stripe (live)',
      provider: 'stripe',
      verificationSettings: { toleranceSeconds: 600, nested: { list: [1, 'two', null, true, 2.5] }, note: 'ü✓' },
      status: 'disabled' as const,
      sizeLimitBytes: 2_097_152,
      rateLimitPerSecond: 25,
      ipAllowlist: ['10.0.0.0/8', '2001:db8::/32', 'odd, "quoted" {entry}'],
      dedupHeader: 'x-request-id',
      dedupJsonPath: 'data.object.id',
      dedupEnabled: false,
      eventTypeJsonPath: 'type',
      alertSettings: { expectedEvery: 3600, rejectionSpike: { threshold: 20, windowSeconds: 300 } },
      createdAt: at('2025-04-01T00:00:00.010Z'),
      updatedAt: at('2025-04-02T00:00:00.020Z'),
      disabledAt: at('2025-04-03T00:00:00.030Z'),
    };
    const destination = {
      id: id.destination,
      name: 'orders service',
      url: 'https://orders.internal.example/hooks?x=1',
      headers: { authorization: 'Bearer abc', 'x-tenant': 'acme' },
      options: { exchange: 'events', routingKey: '{source}.{eventType}' },
      urlPassword: bytes(1, 2, 3, 250),
      timeoutMs: 12_000,
      retrySchedule: [1, 2, 3, 86_400],
      maxConcurrency: 3,
      rateLimitPerSecond: 40,
      orderingKey: 'data.object.id',
      status: 'paused' as const,
      circuitState: 'half_open' as const,
      circuitOpenedAt: at('2025-05-01T00:00:00.001Z'),
      circuitRetryAt: at('2025-05-01T00:01:00.002Z'),
      consecutiveFailures: 9,
      failingSince: at('2025-04-30T00:00:00.003Z'),
      disableAfterSeconds: 3_600,
      alertSettings: { failureRate: { threshold: 0.5, windowSeconds: 600, minAttempts: 10 } },
      createdAt: at('2025-04-01T00:00:00.004Z'),
      updatedAt: at('2025-05-01T00:00:00.005Z'),
      pausedAt: at('2025-05-01T00:00:00.006Z'),
      disabledAt: at('2025-05-02T00:00:00.007Z'),
    };
    const secret = {
      id: id.secret,
      sourceId: id.source,
      destinationId: id.destination,
      channelId: id.channel,
      label: 'rotated in May',
      ciphertext: bytes(1, 0, 255, 128, 0xc3, 0x28, 0, 7),
      hint: 'whsec_…x7Qa',
      createdAt: at('2025-05-03T00:00:00.001Z'),
      expiresAt: at('2025-06-03T00:00:00.002Z'),
      revokedAt: at('2025-05-04T00:00:00.003Z'),
      lastMatchedAt: at('2025-05-03T12:00:00.004Z'),
      createdById: id.user,
    };
    const route = {
      id: id.route,
      sourceId: id.source,
      destinationId: id.destination,
      eventTypes: ['order.*', 'invoice.paid'],
      filter: { all: [{ path: 'data.amount', op: 'gt', value: 100 }] },
      transform: 'function transform(event) { return event; }',
      enabled: false,
      createdAt: at('2025-05-05T00:00:00.001Z'),
      updatedAt: at('2025-05-06T00:00:00.002Z'),
    };
    const event = {
      id: id.event,
      sourceId: id.source,
      receivedAt: at('2025-05-07T08:09:10.011Z'),
      method: 'PUT',
      query: 'a=1&b=%20two',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=abc' },
      body: bytes(0x7b, 0x7d, 0, 0xff, 0xfe),
      payload: { id: 'evt_1', type: 'order.created', data: { amount: 4200, tags: ['a', 'b'] } },
      contentType: 'application/json; charset=utf-8',
      size: 5,
      sourceIp: '2001:db8::1',
      verification: 'unverified' as const,
      matchedSecretId: id.secret,
      dedupKey: 'evt_1',
      eventType: 'order.created',
      streamTxid: 9_007_199_254_740_993n,
    };
    const rejectedRequest = {
      id: id.rejected,
      sourceId: id.source,
      receivedAt: at('2025-05-07T08:09:11.012Z'),
      reason: 'bad_signature',
      detail: 'no signature matched any active secret',
      status: 401,
      headers: { 'stripe-signature': 't=1,v1=bad' },
      bodyPreview: bytes(1, 2, 3, 0, 255),
      size: 4096,
      sourceIp: '203.0.113.9',
    };
    const replay = {
      id: id.replay,
      filter: [{ sourceId: id.source }, { status: ['failed'] }],
      status: 'running' as const,
      total: 10,
      processed: 3,
      cursor: '2025-05-07T08:09:10.011Z|0190a1b2',
      ratePerSecond: 7,
      createdBy: 'ada@example.test',
      createdAt: at('2025-05-08T00:00:00.001Z'),
      startedAt: at('2025-05-08T00:00:01.002Z'),
      finishedAt: at('2025-05-08T00:10:00.003Z'),
      cancelledBy: 'grace@example.test',
    };
    const delivery = {
      id: id.delivery,
      eventId: id.event,
      sourceId: id.source,
      destinationId: id.destination,
      routeId: id.route,
      status: 'failed' as const,
      attemptCount: 8,
      nextAttemptAt: at('2025-05-09T00:00:00.001Z'),
      leaseOwner: 'worker-1:4242',
      leaseExpiresAt: at('2025-05-09T00:00:30.002Z'),
      claimedAt: at('2025-05-09T00:00:00.008Z'),
      lastError: 'HTTP 503',
      lastStatusCode: 503,
      orderingKey: 'ord_123',
      createdAt: at('2025-05-08T23:00:00.003Z'),
      updatedAt: at('2025-05-09T00:00:00.004Z'),
      completedAt: at('2025-05-09T00:00:00.005Z'),
      replayOfId: id.originalDelivery,
      replayId: id.replay,
      replayedBy: 'ada@example.test',
    };
    const attempt = {
      id: id.attempt,
      deliveryId: id.delivery,
      attemptNumber: 3,
      startedAt: at('2025-05-09T00:00:00.006Z'),
      durationMs: 1234,
      responseStatus: 503,
      responseHeaders: { 'retry-after': '30' },
      responseBody: bytes(60, 104, 49, 62, 0, 255),
      errorKind: 'no_route' as const,
      errorMessage: 'host-a:4242:0a1b2c stopped sending heartbeats',
      workerId: 'worker-1',
      request: { url: 'https://example.com/hooks', headers: { 'webhook-id': 'msg_1' }, secretHeaders: [] },
    };
    const alert = {
      id: id.alert,
      kind: 'destination_circuit_open' as const,
      status: 'acknowledged' as const,
      destinationId: id.destination,
      sourceId: id.source,
      channelId: id.channel,
      deliveryId: id.delivery,
      message: 'circuit opened for orders service',
      details: { failureRate: 0.75, window: '5m' },
      createdAt: at('2025-05-09T01:00:00.001Z'),
      acknowledgedAt: at('2025-05-09T01:05:00.002Z'),
      acknowledgedBy: 'ada@example.test',
      resolvedAt: at('2025-05-09T02:00:00.003Z'),
      resolvedBy: 'system',
    };
    const notificationChannel = {
      id: id.channel,
      name: 'on-call – ü✓',
      type: 'webhook' as const,
      urlCiphertext: bytes(1, 9, 255, 0),
      urlHint: 'https://hooks.example/…abcd',
      to: ['ops@example.test', 'odd, "quoted" {addr}'],
      kinds: ['delivery_exhausted' as const, 'source_silent' as const],
      enabled: false,
      consecutiveFailures: 4,
      failingSince: at('2025-05-09T01:00:00.004Z'),
      lastError: 'HTTP 500',
      lastSentAt: at('2025-05-09T00:59:00.005Z'),
      nextMessageAt: at('2025-05-09T01:00:30.008Z'),
      createdAt: at('2025-05-08T00:00:00.006Z'),
      updatedAt: at('2025-05-08T00:00:01.007Z'),
      createdById: id.user,
    };
    const alertNotification = {
      id: id.notification,
      alertId: id.alert,
      channelId: id.channel,
      event: 'resolved' as const,
      status: 'suppressed' as const,
      attempts: 3,
      nextAttemptAt: at('2025-05-09T02:01:00.001Z'),
      lockedUntil: at('2025-05-09T02:00:30.002Z'),
      lastError: 'timeout',
      sentAt: at('2025-05-09T02:02:00.003Z'),
      createdAt: at('2025-05-09T02:00:00.004Z'),
      leaseToken: '0190a0a0-0000-7000-8000-00000000beef',
      digestSize: 37,
    };
    const auditLog = {
      id: id.audit,
      createdAt: at('2025-05-09T03:00:00.001Z'),
      actorType: 'api_key' as const,
      actorId: id.apiKey,
      actorLabel: 'deploy bot',
      action: 'destination.update',
      targetType: 'destination',
      targetId: id.destination,
      before: ['a', 1, null],
      after: 'paused',
      ip: '198.51.100.4',
    };
    const sourceMinuteStat = {
      sourceId: id.source,
      minute: at('2025-05-09T03:04:00.000Z'),
      received: 11,
      accepted: 8,
      rejected: 2,
      duplicates: 1,
    };
    const destinationMinuteStat = {
      destinationId: id.destination,
      minute: at('2025-05-09T03:05:00.000Z'),
      attempts: 12,
      succeeded: 9,
      failed: 3,
      exhausted: 1,
      latencyMsSum: 9_007_199_254_740_993n, // beyond 2^53: proves a real int8
      latencyHist: [0, 5, 2_147_483_647],
    };
    const sourceHourStat = {
      sourceId: id.source,
      hour: at('2025-05-09T03:00:00.000Z'),
      received: 110,
      accepted: 80,
      rejected: 20,
      duplicates: 10,
    };
    const destinationHourStat = {
      destinationId: id.destination,
      hour: at('2025-05-09T03:00:00.000Z'),
      attempts: 120,
      succeeded: 90,
      failed: 30,
      exhausted: 10,
      latencyMsSum: 9_007_199_254_740_995n,
      latencyHist: [1, 50, 2_147_483_647],
    };
    const statsRollupHour = { hour: at('2025-05-09T03:00:00.000Z'), rolledUpAt: at('2025-05-09T04:15:00.123Z') };
    const sourceCounterTotal = { sourceId: id.source, received: 9_007_199_254_740_993n, accepted: 80n, rejected: 20n, duplicates: 10n };
    const destinationCounterTotal = {
      destinationId: id.destination,
      attempts: 120n,
      succeeded: 90n,
      failed: 30n,
      exhausted: 10n,
      latencyMsSum: 9_007_199_254_740_995n,
      latencyHist: [1n, 50n, 9_007_199_254_740_997n],
    };
    const rateLimitWindow = { key: 'source:stripe-live', windowStart: at('2025-05-09T03:05:07.000Z'), count: 9 };
    const destinationRateClaim = { destinationId: id.destination, claimedAt: at('2025-05-09T03:05:07.123Z'), deliveryId: id.delivery };
    const worker = {
      id: 'host-a:4242:0a1b2c',
      host: 'host-a',
      pid: 4242,
      startedAt: at('2025-05-09T03:00:00.001Z'),
      heartbeatAt: at('2025-05-09T03:05:00.002Z'),
      inFlight: 17,
      stoppedAt: at('2025-05-09T03:06:00.003Z'),
    };
    // The migration seeds the evaluator's own row ('alert-rules'); this is another.
    const alertRuleRun = {
      name: 'fixture-run',
      ranAt: at('2025-05-09T03:05:15.004Z'),
      durationMs: 42,
      ranBy: 'host-a:4242:0a1b2c',
      lastError: 'backlog_age: timeout',
    };

    const fixtures: Record<string, object> = {
      User: user,
      ApiKey: apiKey,
      AuthThrottle: authThrottle,
      Source: source,
      Secret: secret,
      Destination: destination,
      Route: route,
      Event: event,
      RejectedRequest: rejectedRequest,
      Delivery: delivery,
      Attempt: attempt,
      Replay: replay,
      Alert: alert,
      NotificationChannel: notificationChannel,
      AlertNotification: alertNotification,
      AuditLog: auditLog,
      SourceMinuteStat: sourceMinuteStat,
      DestinationMinuteStat: destinationMinuteStat,
      SourceHourStat: sourceHourStat,
      DestinationHourStat: destinationHourStat,
      StatsRollupHour: statsRollupHour,
      SourceCounterTotal: sourceCounterTotal,
      DestinationCounterTotal: destinationCounterTotal,
      RateLimitWindow: rateLimitWindow,
      DestinationRateClaim: destinationRateClaim,
      Worker: worker,
      AlertRuleRun: alertRuleRun,
    };
    // A model or field added to the schema must be added here too, or this test fails.
    for (const [model, { fields }] of Object.entries(runtime.models)) {
      const scalarFields = fields
        .filter((f) => f.kind !== 'object')
        .map((f) => f.name)
        .sort();
      expect(Object.keys(fixtures[model] ?? {}).sort(), `fixture of model ${model}`).toEqual(scalarFields);
    }
    expect(Object.keys(fixtures).sort()).toEqual(Object.keys(runtime.models).sort());

    await prisma.user.create({ data: user });
    await prisma.apiKey.create({ data: apiKey });
    await prisma.authThrottle.create({ data: authThrottle });
    await prisma.source.create({ data: source });
    await prisma.destination.create({ data: destination });
    await prisma.notificationChannel.create({ data: notificationChannel });
    await prisma.secret.create({ data: secret });
    await prisma.route.create({ data: route });
    await prisma.event.create({ data: event });
    await prisma.rejectedRequest.create({ data: rejectedRequest });
    await prisma.replay.create({ data: replay });
    await prisma.delivery.create({
      data: { id: id.originalDelivery, eventId: id.event, sourceId: id.source, destinationId: id.destination },
    });
    await prisma.delivery.create({ data: delivery });
    await prisma.attempt.create({ data: attempt });
    await prisma.alert.create({ data: alert });
    await prisma.alertNotification.create({ data: alertNotification });
    await prisma.auditLog.create({ data: auditLog });
    await prisma.sourceMinuteStat.create({ data: sourceMinuteStat });
    await prisma.destinationMinuteStat.create({ data: destinationMinuteStat });
    await prisma.sourceHourStat.create({ data: sourceHourStat });
    await prisma.destinationHourStat.create({ data: destinationHourStat });
    await prisma.statsRollupHour.create({ data: statsRollupHour });
    await prisma.sourceCounterTotal.create({ data: sourceCounterTotal });
    await prisma.destinationCounterTotal.create({ data: destinationCounterTotal });
    await prisma.rateLimitWindow.create({ data: rateLimitWindow });
    await prisma.destinationRateClaim.create({ data: destinationRateClaim });
    await prisma.worker.create({ data: worker });
    await prisma.alertRuleRun.create({ data: alertRuleRun });

    const readBack: Record<string, unknown> = {
      User: await prisma.user.findUnique({ where: { id: id.user } }),
      ApiKey: await prisma.apiKey.findUnique({ where: { id: id.apiKey } }),
      AuthThrottle: await prisma.authThrottle.findUnique({ where: { key: authThrottle.key } }),
      Source: await prisma.source.findUnique({ where: { id: id.source } }),
      Secret: await prisma.secret.findUnique({ where: { id: id.secret } }),
      Destination: await prisma.destination.findUnique({ where: { id: id.destination } }),
      Route: await prisma.route.findUnique({ where: { id: id.route } }),
      Event: await prisma.event.findUnique({ where: { id: id.event } }),
      RejectedRequest: await prisma.rejectedRequest.findUnique({ where: { id: id.rejected } }),
      Delivery: await prisma.delivery.findUnique({ where: { id: id.delivery } }),
      Attempt: await prisma.attempt.findUnique({ where: { id: id.attempt } }),
      Replay: await prisma.replay.findUnique({ where: { id: id.replay } }),
      Alert: await prisma.alert.findUnique({ where: { id: id.alert } }),
      NotificationChannel: await prisma.notificationChannel.findUnique({ where: { id: id.channel } }),
      AlertNotification: await prisma.alertNotification.findUnique({ where: { id: id.notification } }),
      AuditLog: await prisma.auditLog.findUnique({ where: { id: id.audit } }),
      SourceMinuteStat: await prisma.sourceMinuteStat.findUnique({
        where: { sourceId_minute: { sourceId: id.source, minute: sourceMinuteStat.minute } },
      }),
      DestinationMinuteStat: await prisma.destinationMinuteStat.findUnique({
        where: { destinationId_minute: { destinationId: id.destination, minute: destinationMinuteStat.minute } },
      }),
      SourceHourStat: await prisma.sourceHourStat.findUnique({ where: { sourceId_hour: { sourceId: id.source, hour: sourceHourStat.hour } } }),
      DestinationHourStat: await prisma.destinationHourStat.findUnique({
        where: { destinationId_hour: { destinationId: id.destination, hour: destinationHourStat.hour } },
      }),
      StatsRollupHour: await prisma.statsRollupHour.findUnique({ where: { hour: statsRollupHour.hour } }),
      SourceCounterTotal: await prisma.sourceCounterTotal.findUnique({ where: { sourceId: id.source } }),
      DestinationCounterTotal: await prisma.destinationCounterTotal.findUnique({ where: { destinationId: id.destination } }),
      RateLimitWindow: await prisma.rateLimitWindow.findUnique({
        where: { key_windowStart: { key: rateLimitWindow.key, windowStart: rateLimitWindow.windowStart } },
      }),
      DestinationRateClaim: await prisma.destinationRateClaim.findUnique({
        where: { destinationId_claimedAt_deliveryId: destinationRateClaim },
      }),
      Worker: await prisma.worker.findUnique({ where: { id: worker.id } }),
      AlertRuleRun: await prisma.alertRuleRun.findUnique({ where: { name: alertRuleRun.name } }),
    };
    for (const [model, fixture] of Object.entries(fixtures)) {
      expect(readBack[model], `model ${model}`).toStrictEqual(fixture);
    }
  });
});
