/**
 * What every server action answers (app/_server/server-action.ts): the data, or an error as data so
 * that forms can show it (`details` lists each invalid field). A module of its own, free of
 * Next.js and the database, so that client components can import the type.
 */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; details?: unknown } };
