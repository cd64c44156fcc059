/**
 * A short transaction of two statements, the second built from the first's result, in three
 * round trips instead of the four of awaiting each of BEGIN, first, second and COMMIT: the second
 * statement is sent without waiting, and COMMIT right behind it on the same connection
 * (postgres.js pipelines a transaction's queries; each has its own Sync, so an error in one is
 * reported on that one). For hot paths such as the worker's claim, where the locks taken by the
 * first statement must be held only for a moment.
 *
 * Built on `sql.begin`, not `sql.reserve`: in postgres.js 3.4.9 a reserve on a pool with no open
 * connection never settles when fetch_types is off (porsager/postgres#751, #1219; lib/db/sql.ts
 * turns it off after the first query), which after a database restart would stall every claim.
 */
import type postgres from 'postgres';
import type { Sql } from './sql';

type Tx = postgres.TransactionSql;
type Rows = readonly postgres.MaybeRow[];

/**
 * Runs `first`, then `second(firstResult)` (null: nothing more to do), in one transaction at the
 * connection's default isolation (READ COMMITTED: each statement sees what was committed before
 * it started, so the second sees everything committed by whoever held the first's locks before).
 */
export async function pipelinedTransaction<A extends Rows, B extends Rows>(
  sql: Sql,
  first: (tx: Tx) => postgres.PendingQuery<A>,
  second: (tx: Tx, firstResult: A) => postgres.PendingQuery<B> | null,
): Promise<[A, B | null]> {
  let pending: postgres.PendingQuery<B> | null = null;
  const firstResult = await sql.begin(async (tx) => {
    const result = (await first(tx)) as unknown as A;
    pending = second(tx, result);
    // Sent now; COMMIT follows it once this function returns. If it fails, the transaction is
    // aborted and COMMIT rolls back; its error is thrown below.
    pending?.execute().catch(() => undefined);
    return result;
  });
  const secondResult = pending ? ((await pending) as unknown as B) : null;
  return [firstResult as A, secondResult];
}
