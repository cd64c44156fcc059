import type { Db } from './prisma';

/**
 * A transaction client or the client itself. (Prisma types the interactive-transaction client
 * without the global `omit`, which makes it a superset of `Db`'s results, so both fit here.)
 */
export type Tx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$extends' | '$transaction'>;
