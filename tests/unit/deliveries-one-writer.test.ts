/**
 * One owner for the delivery lifecycle: only lib/deliveries/lifecycle/ writes the deliveries
 * table, so its state machine (state-machine.ts) is the whole story of how a status changes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const scanned = ['lib', 'app', 'scripts'];
const owner = 'lib/deliveries/lifecycle/';
const skipped = ['lib/db/generated/'];

const sqlWrite = /\b(?:insert\s+into|update|delete\s+from)\s+"?deliveries"?(?![\w.])/i;
const prismaWrite = /\.delivery\s*\.\s*(?:create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)\s*\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(?:ts|tsx|mts|js|mjs|cjs|sql)$/.test(entry.name) ? [path] : [];
  });
}

function writersOfDeliveries(files: { path: string; text: string }[]): string[] {
  return files.flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, index) => (sqlWrite.test(line) || prismaWrite.test(line) ? [`${path}:${index + 1}: ${line.trim()}`] : [])),
  );
}

describe('the deliveries table has one writer', () => {
  it('no file outside lib/deliveries/lifecycle/ inserts, updates or deletes deliveries', () => {
    const files = scanned
      .flatMap(sourceFiles)
      .filter((path) => !path.startsWith(owner) && !skipped.some((prefix) => path.startsWith(prefix)))
      .map((path) => ({ path: relative(root, join(root, path)), text: readFileSync(join(root, path), 'utf8') }));
    expect(files.length).toBeGreaterThan(50);
    expect(writersOfDeliveries(files)).toEqual([]);
  });

  it('recognises the writes it forbids, and not reads or other tables', () => {
    const found = writersOfDeliveries([
      { path: 'a.ts', text: 'await sql`UPDATE deliveries SET status = 1`' },
      { path: 'b.ts', text: 'INSERT INTO deliveries (id) VALUES (1)' },
      { path: 'c.ts', text: 'delete from "deliveries" where true' },
      { path: 'd.ts', text: 'await db().delivery.updateMany({ where: {} })' },
      { path: 'e.ts', text: 'SELECT * FROM deliveries d; UPDATE replays SET x = 1; db().delivery.findMany({})' },
      { path: 'f.ts', text: 'UPDATE deliveries_archive SET x = 1' },
    ]);
    expect(found.map((line) => line.split(':')[0])).toEqual(['a.ts', 'b.ts', 'c.ts', 'd.ts']);
  });
});
