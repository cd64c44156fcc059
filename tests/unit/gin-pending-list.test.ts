import { describe, expect, it } from 'vitest';
import type { Sql } from '@/lib/db/sql';
import { GinPendingListCleaner } from '@/lib/ingest/gin-pending-list';

/** A stand-in for postgres.js that answers each statement with the next outcome. */
function fakeSql(outcomes: (Error | number)[]) {
  let calls = 0;
  const query = () => {
    const outcome = outcomes[calls++] ?? 0;
    return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve([{ pages: outcome }]);
  };
  return { sql: (() => query) as unknown as () => Sql, calls: () => calls };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('GinPendingListCleaner when merging fails', () => {
  it.each([
    ['tries again after a lost connection', Object.assign(new Error('gone'), { code: 'ECONNREFUSED' }), 2],
    ['stops trying when the database refuses it (not the index owner)', Object.assign(new Error('must be owner of index'), { code: '42501' }), 1],
  ])('%s', async (_title, failure, merges) => {
    const fake = fakeSql([failure, 3]);
    const cleaner = new GinPendingListCleaner(fake.sql, 10);
    cleaner.noteWritten(10);
    await settle();
    cleaner.noteWritten(10);
    await settle();
    expect(fake.calls()).toBe(merges);
  });
});
