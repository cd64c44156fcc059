/**
 * The database driver's behaviour when connections die, which every Hookyard process depends on
 * to survive a database restart (docs/resilience.md): postgres.js with the patch in patches/
 * (porsager/postgres#1208) and the pool settings of lib/db/sql.ts.
 */
import postgres from 'postgres';
import { afterAll, expect, it } from 'vitest';
import { pipelinedTransaction } from '@/lib/db/pipelined-transaction';
import { reconnectDelaySeconds } from '@/lib/db/sql';
import { testDatabaseUrl, withPg } from '../support/db';

const clients: postgres.Sql[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.end({ timeout: 1 })));
});

it('a query on a reserved connection whose backend died fails with CONNECTION_CLOSED instead of killing the process', async () => {
  const sql = postgres(testDatabaseUrl(), { max: 2, fetch_types: false, onnotice: () => undefined });
  clients.push(sql);
  await sql`SELECT 1`; // a cold pool's reserve never settles with fetch_types off (porsager/postgres#751)
  const reserved = await sql.reserve();
  const [row] = await reserved<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  const pid = row!.pid;
  await withPg((client) => client.query('SELECT pg_terminate_backend($1)', [pid]));
  // The terminated backend's error closes the socket; then the reserved connection is used again.
  const codeOf = async (query: () => Promise<unknown>) => {
    try {
      await query();
      return 'resolved';
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };
  expect(await codeOf(() => reserved`SELECT 1`)).toMatch(/^(CONNECTION_CLOSED|ECONNRESET|57P01)$/);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await codeOf(() => reserved`SELECT 1`)).toBe('CONNECTION_CLOSED');
  // (Releasing it would hand the dead connection back to the pool: another reason Hookyard's own
  // code never reserves; lib/db/pipelined-transaction.ts.)
});

it('retries a lost connection within a second, however many attempts failed', () => {
  for (const failures of [0, 1, 5, 50]) {
    const delay = reconnectDelaySeconds(failures);
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(1);
  }
});

it('a pipelined transaction works on a cold pool without type fetching, and a failing second statement rolls back the first', async () => {
  // A cold pool with fetch_types off: what every pool is after a database restart (lib/db/sql.ts).
  const cold = postgres(testDatabaseUrl(), { max: 2, fetch_types: false, onnotice: () => undefined });
  clients.push(cold);
  const [first, second] = await pipelinedTransaction<{ a: number }[], { b: number }[]>(
    cold,
    (tx) => tx`SELECT 1 AS a`,
    (tx, [row]) => tx`SELECT ${row!.a}::int + 1 AS b`,
  );
  expect([first[0]!.a, second![0]!.b]).toEqual([1, 2]);

  await cold`CREATE TABLE IF NOT EXISTS pipelined_probe (n int)`;
  await expect(
    pipelinedTransaction(
      cold,
      (tx) => tx`INSERT INTO pipelined_probe VALUES (1) RETURNING n`,
      (tx) => tx`SELECT 1 / 0`,
    ),
  ).rejects.toThrow(/division by zero/);
  expect(await cold`SELECT count(*)::int AS n FROM pipelined_probe`).toEqual([{ n: 0 }]);
});
