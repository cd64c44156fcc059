/**
 * The master-key rotation re-encrypts the columns of lib/secrets/encrypted-columns.ts and nothing
 * else. A new Bytes column that holds an encrypted value but is missing there would be left under
 * the old key, and lost when that key is dropped: so every Bytes column of the schema must be
 * either registered as encrypted or listed as plaintext, with a reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENCRYPTED_COLUMNS, PLAINTEXT_BYTES_COLUMNS } from '@/lib/secrets/encrypted-columns';

/** `Model.field` of every Bytes (or Bytes?) field, with its table and column names. */
function bytesFields(schema: string) {
  const fields: { name: string; table: string; column: string }[] = [];
  for (const [, model, body] of schema.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const table = /@@map\("([^"]+)"\)/.exec(body!)?.[1] ?? model!;
    for (const [, field, rest] of body!.matchAll(/^\s+(\w+)\s+Bytes\??(.*)$/gm)) {
      fields.push({ name: `${model}.${field}`, table, column: /@map\("([^"]+)"\)/.exec(rest!)?.[1] ?? field! });
    }
  }
  return fields;
}

describe('the registry of encrypted columns', () => {
  const fields = bytesFields(readFileSync('prisma/schema.prisma', 'utf8'));
  const encrypted = ENCRYPTED_COLUMNS.map((column) => `${column.model}.${column.field}`);
  const plaintext = PLAINTEXT_BYTES_COLUMNS.map((column) => `${column.model}.${column.field}`);

  it('finds the Bytes columns of the schema', () => {
    expect(fields.map((field) => field.name)).toEqual(expect.arrayContaining(['Secret.ciphertext', 'Event.body']));
  });

  it('lists every Bytes column as encrypted or as plaintext, and no column twice', () => {
    expect(
      fields.map((field) => field.name).filter((name) => !encrypted.includes(name) && !plaintext.includes(name)),
      'Bytes columns in neither list: add encrypted ones to ENCRYPTED_COLUMNS',
    ).toEqual([]);
    expect(encrypted.filter((name) => plaintext.includes(name))).toEqual([]);
    expect(
      [...encrypted, ...plaintext].filter((name) => !fields.some((field) => field.name === name)),
      'listed columns that are gone',
    ).toEqual([]);
  });

  it('names each encrypted column by its table and column in Postgres', () => {
    for (const column of ENCRYPTED_COLUMNS) {
      expect(fields.find((field) => field.name === `${column.model}.${column.field}`)).toMatchObject({ table: column.table, column: column.column });
    }
  });
});
