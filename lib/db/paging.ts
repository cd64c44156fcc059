/**
 * Keyset paging, shared by every list (events, deliveries, failed groups, alerts, audit): a page
 * ends with an opaque cursor of its last row's (time, id), never an OFFSET, so page 1,000 costs
 * what page 1 costs.
 */
import { z } from 'zod';
import { AppError } from '@/lib/http/errors';
import type { Sql } from './sql';

/** Statements of the lists never run longer than this (a text search over a busy week could). */
const LIST_STATEMENT_TIMEOUT = '15s';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  /** The window a free-text search scanned, when `q` was one. */
  searchWindow?: { from: Date; to: Date };
}

/** Keyset cursors: the last row's (time, id), opaque to clients. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(value: string): { at: Date; id: string } | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [at, id] = parsed as unknown[];
    if (typeof at !== 'string' || typeof id !== 'string') return null;
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || !z.uuid().safeParse(id).success) return null;
    return { at: date, id };
  } catch {
    return null;
  }
}

/** Runs a list statement with a statement timeout, and turns a timeout into advice. */
export async function withListTimeout<T>(sql: Sql, run: (tx: Sql) => Promise<T>): Promise<T> {
  try {
    return (await sql.begin(async (tx) => {
      await tx`SELECT set_config('statement_timeout', ${LIST_STATEMENT_TIMEOUT}, true)`;
      return run(tx as unknown as Sql);
    })) as T;
  } catch (error) {
    if ((error as { code?: string }).code === '57014') {
      throw new AppError('invalid_input', 'The search took too long: narrow the time range, add a source or destination, or search by path=value');
    }
    throw error;
  }
}

export function cursorOrThrow(cursor: string | undefined): { at: Date; id: string } | null {
  if (!cursor) return null;
  const decoded = decodeCursor(cursor);
  if (!decoded) throw new AppError('invalid_input', 'cursor: not a cursor from a previous page', [{ path: 'cursor', message: 'invalid' }]);
  return decoded;
}
