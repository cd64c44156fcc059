/**
 * `npm run secrets:rotate-key`: re-encrypts every registered encrypted column
 * (encrypted-columns.ts) under the current HOOKYARD_MASTER_KEY, while the processes keep running
 * with the old key among HOOKYARD_MASTER_KEY_PREVIOUS (docs/security-keys.md).
 *
 * - Nothing half-done: a first, read-only pass decrypts every row not yet under the current key;
 *   if any cannot be decrypted with a known key, nothing is written and the rows are named.
 * - Row locks: each batch is one transaction that takes its rows FOR UPDATE SKIP LOCKED, so a
 *   concurrent change of the same row (a channel's new URL, say) is never overwritten with the
 *   re-encrypted old value, and the rotation never waits behind a busy row: it comes back for
 *   skipped rows in a later pass.
 * - Resumable and idempotent: rows already in the v2 format under the current key's id are left
 *   out by the query itself, so a second run (or a run after an interruption) only does what is
 *   left, and a run with nothing left writes nothing.
 */
import { recordAudit } from '@/lib/audit/record-audit';
import { type Db, db } from '@/lib/db/prisma';
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from './encrypted-columns';
import { type MasterKeys, configuredMasterKeys, decryptSecret, encryptSecret, masterKeyId } from './encryption';

export interface ColumnRotation {
  table: string;
  column: string;
  /** Rows with a value. */
  total: number;
  /** Rows that were already under the current key when the run started. */
  alreadyCurrent: number;
  /** Rows this run re-encrypted. */
  reencrypted: number;
}

export interface RotationOptions {
  keys?: MasterKeys;
  batchSize?: number;
  client?: Db;
  columns?: readonly EncryptedColumn[];
  /** After each committed batch: progress output, and where the tests interrupt a run. */
  onBatch?: (progress: { table: string; column: string; reencrypted: number }) => void | Promise<void>;
  /** Passes over a column before rows that stay locked make the run fail (default 5). */
  maxPasses?: number;
}

export class UndecryptableRowsError extends Error {
  constructor(readonly rows: { table: string; column: string; id: string }[]) {
    const named = rows
      .slice(0, 20)
      .map((row) => `${row.table}.${row.column} id ${row.id}`)
      .join(', ');
    super(
      `${rows.length} stored value(s) cannot be decrypted with HOOKYARD_MASTER_KEY or any HOOKYARD_MASTER_KEY_PREVIOUS key: ${named}${rows.length > 20 ? ', …' : ''}. ` +
        'Nothing was re-encrypted. Add the key they were written with to HOOKYARD_MASTER_KEY_PREVIOUS and run again.',
    );
    this.name = 'UndecryptableRowsError';
  }
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** The first five bytes of a v2 blob under `key`: version 2 and the key's id. */
const currentPrefix = (key: Buffer) => new Uint8Array(Buffer.concat([Buffer.from([2]), masterKeyId(key)]));

interface Row {
  id: string;
  value: Uint8Array;
}

function notCurrentSql(column: EncryptedColumn, extra: string): string {
  const col = quote(column.column);
  return `FROM ${quote(column.table)} WHERE ${col} IS NOT NULL AND substring(${col} from 1 for 5) <> $1::bytea ${extra}`;
}

async function countRows(client: Db, column: EncryptedColumn, prefix: Uint8Array): Promise<{ total: number; notCurrent: number }> {
  const col = quote(column.column);
  const [row] = await client.$queryRawUnsafe<{ total: number; not_current: number }[]>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE substring(${col} from 1 for 5) <> $1::bytea)::int AS not_current
     FROM ${quote(column.table)} WHERE ${col} IS NOT NULL`,
    prefix,
  );
  return { total: row?.total ?? 0, notCurrent: row?.not_current ?? 0 };
}

/** Every row not under the current key that no known key decrypts (read-only). */
async function findUndecryptable(client: Db, columns: readonly EncryptedColumn[], keys: MasterKeys, batchSize: number) {
  const prefix = currentPrefix(keys.current);
  const failures: { table: string; column: string; id: string }[] = [];
  for (const column of columns) {
    let after: string | null = null;
    for (;;) {
      const rows: Row[] = await client.$queryRawUnsafe<Row[]>(
        `SELECT id::text AS id, ${quote(column.column)} AS value ${notCurrentSql(column, 'AND ($2::uuid IS NULL OR id > $2::uuid)')} ORDER BY id LIMIT $3`,
        prefix,
        after,
        batchSize,
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        try {
          decryptSecret(column.aad(row.id), row.value, keys);
        } catch {
          failures.push({ table: column.table, column: column.column, id: row.id });
        }
      }
      after = rows[rows.length - 1]!.id;
    }
  }
  return failures;
}

/** One batch: lock, re-encrypt, write; all of it or none. Returns the ids done. */
async function rotateBatch(client: Db, column: EncryptedColumn, keys: MasterKeys, after: string | null, batchSize: number): Promise<string[]> {
  const prefix = currentPrefix(keys.current);
  return client.$transaction(
    async (tx) => {
      const rows = await tx.$queryRawUnsafe<Row[]>(
        `SELECT id::text AS id, ${quote(column.column)} AS value ${notCurrentSql(column, 'AND ($2::uuid IS NULL OR id > $2::uuid)')}
         ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
        prefix,
        after,
        batchSize,
      );
      for (const row of rows) {
        // Checked again under the lock: a value written since the first pass is decrypted here.
        const plaintext = decryptSecret(column.aad(row.id), row.value, keys);
        await tx.$executeRawUnsafe(
          `UPDATE ${quote(column.table)} SET ${quote(column.column)} = $1::bytea WHERE id = $2::uuid`,
          encryptSecret(column.aad(row.id), plaintext, keys.current),
          row.id,
        );
      }
      return rows.map((row) => row.id);
    },
    { timeout: 60_000 },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function rotateMasterKey(options: RotationOptions = {}): Promise<ColumnRotation[]> {
  const client = options.client ?? db();
  const keys = options.keys ?? configuredMasterKeys();
  const columns = options.columns ?? ENCRYPTED_COLUMNS;
  const batchSize = options.batchSize ?? 100;
  const maxPasses = options.maxPasses ?? 5;
  const prefix = currentPrefix(keys.current);

  const undecryptable = await findUndecryptable(client, columns, keys, batchSize);
  if (undecryptable.length > 0) throw new UndecryptableRowsError(undecryptable);

  const report: ColumnRotation[] = [];
  for (const column of columns) {
    const { total, notCurrent } = await countRows(client, column, prefix);
    const entry: ColumnRotation = { table: column.table, column: column.column, total, alreadyCurrent: total - notCurrent, reencrypted: 0 };
    report.push(entry);
    for (let pass = 1; ; pass++) {
      let after: string | null = null;
      for (;;) {
        const done = await rotateBatch(client, column, keys, after, batchSize);
        if (done.length === 0) break;
        after = done[done.length - 1]!;
        entry.reencrypted += done.length;
        await options.onBatch?.({ table: column.table, column: column.column, reencrypted: entry.reencrypted });
      }
      const left = (await countRows(client, column, prefix)).notCurrent;
      if (left === 0) break;
      // Rows skipped because another transaction held them: come back for them.
      if (pass >= maxPasses) throw new Error(`${left} row(s) of ${column.table}.${column.column} stayed locked by other transactions; run the rotation again`);
      await sleep(200 * pass);
    }
  }
  const reencrypted = report.reduce((sum, entry) => sum + entry.reencrypted, 0);
  if (reencrypted > 0) {
    await recordAudit('system', {
      action: 'master_key.rotate',
      targetType: 'master_key',
      targetId: masterKeyId(keys.current).toString('hex'),
      after: Object.fromEntries(report.map((entry) => [`${entry.table}.${entry.column}`, { total: entry.total, reencrypted: entry.reencrypted }])),
    });
  }
  return report;
}
