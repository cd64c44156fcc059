/**
 * The database driver's behaviour when connections die, which every Hookyard process depends on
 * to survive a database restart (docs/resilience.md): postgres.js with the patch in patches/
 * (porsager/postgres#1208) and the pool settings of lib/db/sql.ts.
 */
import postgres from 'postgres';
import { afterAll, expect, it } from 'vitest';
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
  // code never reserves.)
});

it('retries a lost connection within a second, however many attempts failed', () => {
  for (const failures of [0, 1, 5, 50]) {
    const delay = reconnectDelaySeconds(failures);
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(1);
  }
});
