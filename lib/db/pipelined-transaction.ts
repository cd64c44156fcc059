/**
 * A short transaction of two statements, the second built from the first's result, in two round
 * trips instead of the four of `sql.begin` (BEGIN, first, second, COMMIT each awaited). BEGIN is
 * written together with the first statement and COMMIT together with the second: postgres.js
 * pipelines the queries it is given on one reserved connection, and each has its own Sync, so
 * an error in one is reported on that one. For hot paths such as the worker's claim, where the
 * locks taken by the first statement must be held only for a moment.
 */
import type postgres from 'postgres';
import type { Sql } from './sql';

type Reserved = postgres.ReservedSql;
type Rows = readonly postgres.MaybeRow[];

/**
 * Sends `query` now (postgres.js queries are lazy), and keeps it from becoming an unhandled
 * rejection when an earlier statement's failure means nobody awaits it.
 */
function send<Q extends Promise<unknown>>(query: Q): Q {
  query.catch(() => undefined);
  return query;
}

/**
 * Runs `first`, then `second(firstResult)` (null: nothing more to do), in one transaction at the
 * connection's default isolation (READ COMMITTED: each statement sees what was committed before
 * it started, so the second sees everything committed by whoever held the first's locks before).
 */
export async function pipelinedTransaction<A extends Rows, B extends Rows>(
  sql: Sql,
  first: (tx: Reserved) => postgres.PendingQuery<A>,
  second: (tx: Reserved, firstResult: A) => postgres.PendingQuery<B> | null,
): Promise<[A, B | null]> {
  const tx = await sql.reserve();
  try {
    const begin = send(tx`BEGIN`);
    const firstQuery = send(first(tx));
    await begin;
    const firstResult = (await firstQuery) as unknown as A;
    const secondQuery = second(tx, firstResult);
    const pending = secondQuery ? send(secondQuery) : null;
    const commit = send(tx`COMMIT`);
    const secondResult = pending ? ((await pending) as unknown as B) : null;
    // COMMIT of a transaction a failed statement aborted rolls back; the error above was thrown first.
    await commit;
    return [firstResult, secondResult];
  } catch (error) {
    // Outside a transaction (BEGIN failed, or COMMIT already ended it) this is a harmless warning.
    await tx`ROLLBACK`.catch(() => undefined);
    throw error;
  } finally {
    tx.release();
  }
}
